"""Vietnamese first: the interface language is Vietnamese unless the user chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language header, and many office PCs
ask for English by default. Only the language switch (a cookie) changes the language of pages.
The API still honours Accept-Language: programs ask for the language they parse.
"""


class VietnameseFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
