"""POST endpoints for the legal-date rules: the JSON of ``hoanhap rules <rule>``, the same answer.

Nothing is stored and no record is read: the caller sends the facts of a case. Still, the facts are
about a judgment, so the endpoints need the judgment capability (a helper gets 403). The answer is
the command's answer to the letter, texts included (English msgids, stable for programs); officers
read it in Vietnamese on the calculator page.
"""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedAPIMixin
from hoanhap.justice.api import serializers as s
from hoanhap.justice.rules import RULES, InvalidInput

EXPLAIN = OpenApiParameter(
    "explain",
    OpenApiTypes.BOOL,
    OpenApiParameter.QUERY,
    required=False,
    description="Add an `explanation` list: the facts the rule used (English, like `rule`).",
)


class RuleAPIView(ScopedAPIMixin, APIView):
    """Run one rule on the posted case; 400 with ``{"error", "field"}`` when the case is not valid."""

    access_capability = Cap.VIEW_JUDGMENTS
    parser_classes = [JSONParser]
    rule_name = ""

    def post(self, request):
        explain = str(request.query_params.get("explain", "")).lower() in {"1", "true", "yes"}
        with translation.override(None):  # the machine contract: English msgids, exactly as the CLI
            try:
                result = RULES[self.rule_name](request.data)
            except InvalidInput as error:
                return Response(error.as_dict(), status=400)
            return Response(result.as_dict(explain=explain))


class ExpungementRuleAPI(RuleAPIView):
    rule_name = "expungement"

    @extend_schema(
        operation_id="justice_rules_expungement",
        summary="Expungement date of a criminal record (Criminal Code Arts. 69-73)",
        request=s.ExpungementCaseSerializer,
        responses={200: s.ExpungementAnswerSerializer, 400: s.RuleErrorSerializer},
        parameters=[EXPLAIN],
        tags=["justice"],
    )
    def post(self, request):
        return super().post(request)


class RecidivismRuleAPI(RuleAPIView):
    rule_name = "recidivism"

    @extend_schema(
        operation_id="justice_rules_recidivism",
        summary="Recidivism or dangerous recidivism of a new offence (Criminal Code Arts. 53, 69)",
        request=s.RecidivismCaseSerializer,
        responses={200: s.RecidivismAnswerSerializer, 400: s.RuleErrorSerializer},
        parameters=[EXPLAIN],
        tags=["justice"],
    )
    def post(self, request):
        return super().post(request)


class ConditionalReleaseRuleAPI(RuleAPIView):
    rule_name = "conditional-release"

    @extend_schema(
        operation_id="justice_rules_conditional_release",
        summary="Conditional early release: earliest date, probation, shortening (Criminal Code Art. 66)",
        request=s.ConditionalReleaseCaseSerializer,
        responses={200: s.ConditionalReleaseAnswerSerializer, 400: s.RuleErrorSerializer},
        parameters=[EXPLAIN],
        tags=["justice"],
    )
    def post(self, request):
        return super().post(request)
