"""Forms for the staff actions on one proposal and on received items, and the filters of the
staff lists. Every value staff send is read by a form: a value it cannot use is a form error
in the user's language, shown on the page, never a server error."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from retning.consultation import review
from retning.consultation.models import Attachment, ReceivedItem, Submission, SubmitterType
from retning.consultation.references import format_reference, reference_in
from retning.consultation.search import search_submissions
from retning.core.orgnr import clean_orgnr, is_valid_orgnr
from retning.strategy.models import FocusArea, MainStrategy, Municipality, localized


class ActionForm(forms.Form):
    """One action on one proposal; `apply` performs it through `review` (which checks the
    permission and records the event)."""

    title = ""
    button = _("Lagre")

    def __init__(self, *args, submission: Submission, **kwargs):
        kwargs.setdefault("auto_id", f"a-{self.action}-%s")
        super().__init__(*args, **kwargs)
        self.submission = submission

    action = ""

    def apply(self, user) -> None:
        raise NotImplementedError


def _label_choices(strategy) -> list[tuple[str, str]]:
    """Main strategies and focus areas share one id namespace in the strategy file; their
    titles in the active language."""
    main = [
        (m.slug, f"{m.number}. {localized(m, 'title')}")
        for m in MainStrategy.objects.filter(strategy=strategy)
    ]
    focus = [(f.slug, localized(f, "title")) for f in FocusArea.objects.filter(strategy=strategy)]
    return main + focus


class TagForm(ActionForm):
    action = "tag"
    button = _("Legg til merke")
    tag = forms.ChoiceField(
        label=_("Merk med hovedstrategi eller fokusområde"),
        error_messages={
            "invalid_choice": _("Ingen hovedstrategi eller fokusområde heter «%(value)s»."),
            "required": _("Velg en hovedstrategi eller et fokusområde."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = _label_choices(self.submission.round.strategy)

    def apply(self, user) -> None:
        slug = self.cleaned_data["tag"]
        strategy = self.submission.round.strategy
        main = MainStrategy.objects.filter(strategy=strategy, slug=slug).first()
        if main:
            review.tag(self.submission, user, main_strategy=main)
        else:
            focus = FocusArea.objects.get(strategy=strategy, slug=slug)
            review.tag(self.submission, user, focus_area=focus)


class UntagForm(ActionForm):
    action = "untag"
    button = _("Fjern")
    tag_id = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": _("Velg et merke å fjerne.")}
    )

    def clean_tag_id(self) -> int:
        value = self.cleaned_data["tag_id"]
        try:
            tag_id = int(value)
        except ValueError:
            raise forms.ValidationError(
                _("«%(value)s» er ikke et gyldig merke."), params={"value": value}
            ) from None
        if not self.submission.tags.filter(pk=tag_id).exists():
            raise forms.ValidationError(_("Innspillet har ikke dette merket (lenger)."))
        return tag_id

    def apply(self, user) -> None:
        review.untag(self.submission, user, self.cleaned_data["tag_id"])


class NoteForm(ActionForm):
    action = "note"
    button = _("Lagre notat")
    note = forms.CharField(
        label=_("Internt notat"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Notatet er tomt.")},
    )

    def apply(self, user) -> None:
        review.add_note(self.submission, user, self.cleaned_data["note"])


class RegisterForm(ActionForm):
    action = "register"
    button = _("Registrer")

    def apply(self, user) -> None:
        review.register(self.submission, user)


class RejectForm(ActionForm):
    action = "reject"
    button = _("Avvis")
    reason = forms.CharField(
        label=_("Begrunnelse for avvisning"),
        max_length=1000,
        error_messages={"required": _("En avvisning må ha en begrunnelse.")},
    )

    def apply(self, user) -> None:
        review.reject(self.submission, user, self.cleaned_data["reason"])


class DuplicateForm(ActionForm):
    action = "duplicate"
    button = _("Merk som duplikat")
    original = forms.CharField(
        label=_("Duplikat av innspill"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Skriv referansen til innspillet dette gjentar.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        example = format_reference(self.submission.reached_us_at.year, 12)
        self.fields["original"].help_text = _(
            "Referansen slik innsenderen ser den på kvitteringen, for eksempel %(example)s."
        ) % {"example": example}

    def clean_original(self) -> Submission:
        """By its reference (H-2024-0042, as printed on the receipt); a bare løpenummer is
        still understood."""
        value = self.cleaned_data["original"].strip()
        reference = reference_in(value)
        found = None
        same_round = Submission.objects.filter(round=self.submission.round)
        if reference:
            found = same_round.filter(reference=reference).first()
        elif value.isdigit():
            found = same_round.filter(number=int(value)).first()
        if found is None:
            raise forms.ValidationError(
                _("Fant ikke innspill «%(value)s» i denne høringen."), params={"value": value}
            )
        if found.pk == self.submission.pk:
            raise forms.ValidationError(_("Et innspill kan ikke være duplikat av seg selv."))
        return found

    def apply(self, user) -> None:
        review.mark_duplicate(self.submission, user, self.cleaned_data["original"])


class DeadlineForm(ActionForm):
    action = "deadline"
    button = _("Overstyr")
    on_time = forms.ChoiceField(
        label=_("Overstyr fristen"),
        choices=[("yes", _("Regnes som innen fristen")), ("no", _("Regnes som for sent"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg om innspillet regnes som innen fristen.")},
    )
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=1000,
        error_messages={"required": _("En overstyring må ha en begrunnelse.")},
    )

    def apply(self, user) -> None:
        data = self.cleaned_data
        review.override_deadline(self.submission, user, data["on_time"] == "yes", data["reason"])


class SubmitterForm(ActionForm):
    action = "submitter"
    button = _("Lagre innsender")
    name = forms.CharField(
        label=_("Navn"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    organisation = forms.CharField(label=_("Organisasjon"), max_length=300, required=False)
    orgnr = forms.CharField(
        label=_("Organisasjonsnummer"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    submitter_type = forms.ChoiceField(
        label=_("Type innsender"),
        choices=SubmitterType.choices,
        required=False,
        error_messages={"invalid_choice": _("Ukjent type innsender: %(value)s.")},
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("ikke oppgitt"),
        error_messages={"invalid_choice": _("Kommunen finnes ikke i regionen.")},
    )
    consent_publish_name = forms.BooleanField(
        label=_("Samtykke til å publisere navn"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        s = self.submission
        self.fields["municipality"].queryset = Municipality.objects.filter(
            region=s.round.strategy.region
        )
        if not self.is_bound:
            self.initial = {
                "name": s.name,
                "organisation": s.organisation,
                "orgnr": s.orgnr,
                "submitter_type": s.submitter_type,
                "municipality": s.municipality.slug if s.municipality else "",
                "consent_publish_name": s.consent_publish_name,
            }

    def clean_orgnr(self) -> str:
        value = self.cleaned_data["orgnr"].strip()
        if value and not is_valid_orgnr(clean_orgnr(value)):
            raise forms.ValidationError(
                _("%(orgnr)s er ikke et gyldig organisasjonsnummer."), params={"orgnr": value}
            )
        return value

    def apply(self, user) -> None:
        data = self.cleaned_data
        review.set_submitter(
            self.submission,
            user,
            name=data["name"],
            organisation=data["organisation"],
            orgnr=data["orgnr"],
            submitter_type=data["submitter_type"],
            municipality=data["municipality"].slug if data["municipality"] else "",
            consent_publish_name=data["consent_publish_name"],
        )


class RedactForm(ActionForm):
    action = "redact"
    button = _("Lagre sladdet tekst")
    redacted_text = forms.CharField(
        label=_("Tekst som publiseres (sladd her; originalen beholdes)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=False,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            s = self.submission
            self.initial = {"redacted_text": s.redacted_text or s.text}

    def apply(self, user) -> None:
        review.redact(self.submission, user, self.cleaned_data["redacted_text"])


class PublishForm(ActionForm):
    action = "publish"
    button = _("Publiser")

    def apply(self, user) -> None:
        review.publish(self.submission, user)


class UnpublishForm(ActionForm):
    action = "unpublish"
    button = _("Avpubliser")

    def apply(self, user) -> None:
        review.unpublish(self.submission, user)


ACTION_FORMS: dict[str, type[ActionForm]] = {
    f.action: f
    for f in (
        TagForm,
        UntagForm,
        NoteForm,
        RegisterForm,
        RejectForm,
        DuplicateForm,
        DeadlineForm,
        SubmitterForm,
        RedactForm,
        PublishForm,
        UnpublishForm,
    )
}


class ItemDecisionForm(forms.Form):
    """Accept a received item as a proposal, or dismiss it (it stays stored)."""

    action = forms.ChoiceField(
        choices=[("accept", _("Godta")), ("dismiss", _("Avvis"))],
        error_messages={"invalid_choice": _("Ukjent handling."), "required": _("Ukjent handling.")},
    )
    reason = forms.CharField(label=_("Begrunnelse"), max_length=1000, required=False)


YES_NO = [("yes", _("Ja")), ("no", _("Nei"))]


class SubmissionFilter(django_filters.FilterSet):
    """The staff list of proposals: by round, status, deadline, submitter, place,
    attachments, publication, tag and text (a reference such as H-2024-0042 finds that one
    proposal)."""

    q = django_filters.CharFilter(label=_("Søk i teksten eller referansen"), method="_search")
    round = django_filters.ChoiceFilter(
        label=_("Høring"), field_name="round__slug", empty_label=_("Alle")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Submission.Status.choices, empty_label=_("Alle")
    )
    on_time = django_filters.ChoiceFilter(
        label=_("Frist"),
        choices=[("yes", _("Innen fristen")), ("no", _("For sent"))],
        empty_label=_("Alle"),
        method="_on_time",
    )
    submitter_type = django_filters.ChoiceFilter(
        label=_("Type innsender"),
        choices=[(v, label) for v, label in SubmitterType.choices if v]
        + [("none", _("ikke oppgitt"))],
        empty_label=_("Alle"),
        method="_submitter_type",
    )
    municipality = django_filters.ChoiceFilter(
        label=_("Kommune"), field_name="municipality__slug", empty_label=_("Alle")
    )
    attachments = django_filters.ChoiceFilter(
        label=_("Vedlegg"),
        choices=[
            ("yes", _("Med vedlegg")),
            ("no", _("Uten vedlegg")),
            ("manual", _("Vedlegg som må leses manuelt")),
        ],
        empty_label=_("Alle"),
        method="_attachments",
    )
    published = django_filters.ChoiceFilter(
        label=_("Publisert"),
        choices=[("yes", _("Publisert")), ("no", _("Ikke publisert"))],
        empty_label=_("Alle"),
        method="_published",
    )
    tag = django_filters.ChoiceFilter(label=_("Merket med"), empty_label=_("Alle"), method="_tag")

    class Meta:
        model = Submission
        fields: list[str] = []

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.auto_id = "f-%s"
        self.rounds = list(strategy.consultation_rounds.all())
        self.filters["round"].extra["choices"] = [(r.slug, r.title) for r in self.rounds]
        self.filters["municipality"].extra["choices"] = [
            (m.slug, m.name) for m in Municipality.objects.filter(region=strategy.region)
        ]
        self.filters["tag"].extra["choices"] = _label_choices(strategy)

    def _search(self, queryset, name, value):
        return search_submissions(queryset, value)

    def _on_time(self, queryset, name, value):
        wanted = value == "yes"
        return queryset.filter(
            Q(on_time_override=wanted) | Q(on_time_override__isnull=True, on_time=wanted)
        )

    def _submitter_type(self, queryset, name, value):
        return queryset.filter(submitter_type="" if value == "none" else value)

    def _attachments(self, queryset, name, value):
        if value == "manual":
            return queryset.filter(
                pk__in=Attachment.objects.filter(text_status=Attachment.TextStatus.MANUAL).values(
                    "submission_id"
                )
            )
        return (
            queryset.filter(n_attachments__gt=0)
            if value == "yes"
            else queryset.filter(n_attachments=0)
        )

    def _published(self, queryset, name, value):
        return queryset.filter(published_at__isnull=value == "no")

    def _tag(self, queryset, name, value):
        return queryset.filter(
            Q(tags__main_strategy__slug=value) | Q(tags__focus_area__slug=value)
        ).distinct()


class ItemFilter(django_filters.FilterSet):
    """Received items by status; unmatched ones when nothing is chosen."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ReceivedItem.Status.choices, empty_label=None
    )

    class Meta:
        model = ReceivedItem
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = ReceivedItem.Status.UNMATCHED
        super().__init__(data, *args, **kwargs)
        self.form.auto_id = "i-%s"
