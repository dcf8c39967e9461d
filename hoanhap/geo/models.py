"""Administrative units: the current two tiers and the legacy three tiers, with the crosswalk.

Current units are keyed by their official code (Decision 19/2025/QĐ-TTg). Legacy units live in
their own tables with their own keys: a new commune code often reuses the code of one of the old
communes merged into it (30682 was "Thị trấn Núi Sập", is now "Xã Thoại Sơn"), so legacy and
current records are never joined by code — only through ``CommuneSuccession``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dataset(models.Model):
    """The one row that says what filled the unit tables: source release, loader revision, version.

    ``version`` goes up each time ``load-geo`` writes; the in-memory unit tables of every process
    (``hoanhap.geo.tables``) compare it on use and rebuild when it moved.
    """

    source = models.CharField(_("source"), max_length=100)
    revision = models.PositiveIntegerField(_("loader revision"), default=0)
    version = models.PositiveIntegerField(_("version"), default=0)
    loaded_at = models.DateTimeField(_("loaded at"), null=True)

    class Meta:
        verbose_name = _("geography dataset")
        verbose_name_plural = _("geography datasets")

    def __str__(self) -> str:
        return f"{self.source} (revision {self.revision}, version {self.version})"


class Province(models.Model):
    """A current province or centrally-run city (34 since 1 July 2025)."""

    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100, help_text=_("With its type, e.g. 'Tỉnh An Giang'."))
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A current commune, ward or special zone (3,321 since 1 July 2025)."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100, help_text=_("With its type, e.g. 'Xã Thoại Sơn'."))
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["province_id", "code"]

    def __str__(self) -> str:
        return self.name


class LegacyProvince(models.Model):
    """A province as it was before 1 July 2025 (63 units)."""

    code = models.PositiveSmallIntegerField(_("legacy code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        verbose_name = _("legacy province")
        verbose_name_plural = _("legacy provinces")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LegacyDistrict(models.Model):
    """A district-level unit as it was before 1 July 2025 (the tier that no longer exists)."""

    code = models.PositiveIntegerField(_("legacy code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30)
    province = models.ForeignKey(LegacyProvince, on_delete=models.PROTECT, related_name="districts")
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        verbose_name = _("legacy district")
        verbose_name_plural = _("legacy districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LegacyCommune(models.Model):
    """A commune-level unit as it was before 1 July 2025."""

    code = models.PositiveIntegerField(_("legacy code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30)
    district = models.ForeignKey(LegacyDistrict, on_delete=models.PROTECT, related_name="communes")
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        verbose_name = _("legacy commune")
        verbose_name_plural = _("legacy communes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CommuneSuccession(models.Model):
    """The official crosswalk: which current commune(s) a legacy commune became.

    ``partial`` is true when the legacy commune was split across several current communes; an
    address in it then cannot be placed by code alone and a person must choose.
    """

    legacy_commune = models.ForeignKey(
        LegacyCommune,
        on_delete=models.CASCADE,
        related_name="successions",
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="predecessions")
    partial = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("commune succession")
        verbose_name_plural = _("commune successions")
        constraints = [
            models.UniqueConstraint(fields=["legacy_commune", "commune"], name="geo_succession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.legacy_commune} → {self.commune}"
