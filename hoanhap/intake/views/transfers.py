"""Transfer pages: the list (out of and into the user's areas), one transfer, confirm or return it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedViewMixin
from hoanhap.audit.lists import ExportView, querystring
from hoanhap.intake import deadlines, exports, selectors, services
from hoanhap.intake.forms import TransferConfirmForm, TransferReturnForm
from hoanhap.intake.models import Transfer
from hoanhap.intake.views.base import done, page_or_partial, policies, service_call


def _filtered_transfers(request):
    queryset = selectors.transfer_list(actor=request.user)
    status = request.GET.get("status", "")
    if status in Transfer.Status.values:
        queryset = queryset.filter(status=status)
    return queryset, status


class TransferListView(ScopedViewMixin, View):
    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request):
        queryset, status = _filtered_transfers(request)
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "intake/transfer_list.html",
            {
                "page": page,
                "transfers": page.object_list,
                "status": status,
                "statuses": Transfer.Status.choices,
                "querystring": querystring(request),
            },
        )


class TransferExportView(ExportView):
    """The transfer list as .xlsx or .csv, with the list's status filter."""

    access_capability = Cap.VIEW_JUDGMENTS
    table = exports.TRANSFERS
    list_url_name = "intake:transfer-list"

    def rows(self, request):
        queryset, status = _filtered_transfers(request)
        return queryset.select_related("person", "from_commune", "to_commune"), {"status": status}


class TransferDetailView(ScopedViewMixin, View):
    model = Transfer
    access_capability = Cap.VIEW_JUDGMENTS

    def get(self, request, pk):
        transfer = selectors.transfer_get(actor=request.user, pk=pk)
        receiver = transfer.status == Transfer.Status.SENT and selectors.is_receiver(request.user, transfer)
        return render(
            request,
            "intake/transfer_detail.html",
            {
                "transfer": transfer,
                "can_answer": receiver,
                "escalation_on": deadlines.transfer_escalation_on(transfer.sent_on),
                "confirm_form": TransferConfirmForm(initial={"version": transfer.version})
                if receiver
                else None,
                "return_form": TransferReturnForm(initial={"version": transfer.version})
                if receiver
                else None,
                "policies": policies(),
            },
        )


class _TransferAnswerView(ScopedViewMixin, View):
    model = Transfer
    access_capability = Cap.EDIT_CASEWORK
    form_class: type = TransferConfirmForm
    title = ""

    def get_transfer(self, pk):
        return selectors.transfer_get(actor=self.request.user, pk=pk, cap=Cap.EDIT_CASEWORK)

    def render(self, form, transfer):
        return page_or_partial(
            self.request,
            "intake/transfer_answer.html",
            "intake/partials/_transfer_answer_form.html",
            {
                "form": form,
                "transfer": transfer,
                "title": self.title,
                "action_url": self.request.path,
                "can_answer": transfer.status == Transfer.Status.SENT
                and selectors.is_receiver(self.request.user, transfer),
            },
        )

    def get(self, request, pk):
        transfer = self.get_transfer(pk)
        return self.render(self.form_class(initial={"version": transfer.version}), transfer)

    def post(self, request, pk):
        transfer = self.get_transfer(pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            ok, _result = service_call(form, self.perform, transfer, dict(form.cleaned_data))
            if ok:
                return done(request, self.success(), transfer.get_absolute_url())
        return self.render(form, transfer)


class TransferConfirmView(_TransferAnswerView):
    form_class = TransferConfirmForm

    @property
    def title(self):
        return _("Confirm the transfer")

    def success(self):
        return _("The transfer has been confirmed: the person is now managed by your commune.")

    def perform(self, transfer, data):
        return services.transfer_confirm(
            actor=self.request.user,
            transfer=transfer,
            confirmed_on=data["confirmed_on"],
            received_on=data["received_on"],
            expected_version=data.get("version"),
        )


class TransferReturnView(_TransferAnswerView):
    form_class = TransferReturnForm

    @property
    def title(self):
        return _("Return the transfer")

    def success(self):
        return _("The transfer has been returned to the sending commune.")

    def perform(self, transfer, data):
        return services.transfer_return(
            actor=self.request.user,
            transfer=transfer,
            reason=data["reason"],
            returned_on=data["returned_on"],
            expected_version=data.get("version"),
        )
