"""The public proposal form: validated fields, attachments with limits, a honeypot."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from retning.consultation.models import SubmitterType
from retning.core.formatting import format_number
from retning.core.orgnr import clean_orgnr, is_valid_orgnr
from retning.strategy.models import Municipality

ALLOWED_EXTENSIONS = {".pdf", ".docx", ".odt", ".txt"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ProposalForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    email = forms.EmailField(
        label=_("E-postadresse"),
        required=False,
        help_text=_("Valgfritt. Brukes bare til kvittering og spørsmål om innspillet."),
    )
    submitter_type = forms.ChoiceField(
        label=_("Jeg sender inn som"),
        choices=[(v, label) for v, label in SubmitterType.choices if v],
        widget=forms.RadioSelect,
    )
    organisation = forms.CharField(
        label=_("Organisasjon eller virksomhet"),
        max_length=300,
        required=False,
        help_text=_("Fyll ut hvis du skriver på vegne av en virksomhet eller organisasjon."),
    )
    orgnr = forms.CharField(
        label=_("Organisasjonsnummer"),
        max_length=20,
        required=False,
        help_text=_("Ni siffer, for eksempel 974 760 673."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("Velg kommune (valgfritt)"),
    )
    text = forms.CharField(label=_("Innspillet ditt"), widget=forms.Textarea(attrs={"rows": 12}))
    attachments = MultipleFileField(
        label=_("Vedlegg"),
        required=False,
        help_text=_(
            "PDF, DOCX, ODT eller TXT, høyst %(count)s filer på %(mb)s MB hver og %(total)s MB "
            "til sammen."
        )
        % {
            "count": settings.RETNING_FORM_MAX_FILES,
            "mb": settings.RETNING_ATTACHMENT_MAX_BYTES // 1024**2,
            "total": settings.RETNING_PROPOSAL_MAX_BYTES // 1024**2,
        },
    )
    consent_publish_name = forms.BooleanField(
        label=_("Navnet mitt kan publiseres sammen med innspillet"),
        required=False,
        help_text=_(
            "Uten samtykke vises innspill fra privatpersoner som «privatperson, kommune». "
            "Organisasjoner vises alltid med navn."
        ),
    )
    # Honeypot: hidden from people and assistive technology; bots fill it in.
    website = forms.CharField(label=_("Ikke fyll ut dette feltet"), required=False)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        if region is not None:
            self.fields["municipality"].queryset = Municipality.objects.filter(region=region)

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean_orgnr(self) -> str:
        value = self.cleaned_data["orgnr"].strip()
        if not value:
            return ""
        if not is_valid_orgnr(value):
            raise forms.ValidationError(
                _("Organisasjonsnummeret må ha ni siffer og et gyldig kontrollsiffer."),
                code="orgnr",
            )
        return clean_orgnr(value)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        limit = settings.RETNING_PROPOSAL_MAX_CHARS
        if len(text) > limit:
            raise forms.ValidationError(
                _(
                    "Innspillet er for langt: %(length)s tegn, og grensen er %(limit)s. Kort "
                    "det ned, eller legg den lange teksten ved som fil (PDF, DOCX, ODT eller TXT)."
                )
                % {"length": format_number(len(text)), "limit": format_number(limit)},
                code="too_long",
            )
        return text

    def clean_attachments(self) -> list:
        files = self.cleaned_data["attachments"]
        if len(files) > settings.RETNING_FORM_MAX_FILES:
            raise forms.ValidationError(
                _("Du kan legge ved høyst %(count)s filer.")
                % {"count": settings.RETNING_FORM_MAX_FILES}
            )
        for upload in files:
            if PurePath(upload.name).suffix.lower() not in ALLOWED_EXTENSIONS:
                raise forms.ValidationError(
                    _("«%(name)s» har en filtype vi ikke tar imot. Bruk PDF, DOCX, ODT eller TXT.")
                    % {"name": upload.name}
                )
            if upload.size > settings.RETNING_ATTACHMENT_MAX_BYTES:
                raise forms.ValidationError(
                    _("«%(name)s» er for stor (høyst %(mb)s MB).")
                    % {"name": upload.name, "mb": settings.RETNING_ATTACHMENT_MAX_BYTES // 1024**2}
                )
        total = sum(upload.size for upload in files)
        if total > settings.RETNING_PROPOSAL_MAX_BYTES:
            raise forms.ValidationError(
                _("Vedleggene er til sammen %(size)s MB, og grensen er %(mb)s MB til sammen.")
                % {
                    "size": format_number(round(total / 1024**2, 1), 1),
                    "mb": settings.RETNING_PROPOSAL_MAX_BYTES // 1024**2,
                },
                code="too_large",
            )
        return files

    def clean(self):
        data = super().clean()
        kind = data.get("submitter_type")
        if kind and kind != SubmitterType.PRIVATE and not data.get("organisation"):
            self.add_error(
                "organisation",
                _("Skriv navnet på virksomheten eller organisasjonen du skriver for."),
            )
        return data

    def stored_fields(self) -> dict:
        """The cleaned fields as they are stored with the raw post."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "submitter_type": data["submitter_type"],
            "organisation": data["organisation"],
            "orgnr": data["orgnr"],
            "municipality": data["municipality"].pk if data["municipality"] else None,
            "text": data["text"],
            "consent_publish_name": data["consent_publish_name"],
        }
