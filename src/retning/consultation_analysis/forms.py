"""Forms for the staff actions on a round's analysis: each reads and checks what staff sent
(a proposal of this round, a category of this strategy, a group or theme that exists), so a
bad value is a form error in the user's language and never a server error."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from retning.consultation.models import ConsultationRound, Submission
from retning.consultation.references import reference_in
from retning.consultation_analysis import service
from retning.consultation_analysis.serial import theme_set_from_json

UNKNOWN_LABEL = _("Ingen hovedstrategi eller fokusområde heter «%(value)s».")


def form_errors(form: forms.Form) -> str:
    """All of a form's errors as one sentence for a message."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


class RoundForm(forms.Form):
    def __init__(self, *args, round: ConsultationRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round


class ConfirmTagsForm(RoundForm):
    """A person decides one proposal's complete set of categories."""

    submission = forms.ModelChoiceField(
        queryset=Submission.objects.none(),
        error_messages={
            "invalid_choice": _("Innspillet finnes ikke i denne høringen."),
            "required": _("Velg et innspill."),
        },
    )
    labels = forms.MultipleChoiceField(
        required=False, error_messages={"invalid_choice": UNKNOWN_LABEL}
    )
    page = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].queryset = Submission.objects.filter(round=self.round)
        self.fields["labels"].choices = [
            (label.id, label.title) for label in service.round_labels(self.round)
        ]


class CampaignConfirmForm(RoundForm):
    """One decision for every copy of a campaign."""

    group = forms.ChoiceField(
        error_messages={"invalid_choice": _("Gruppen finnes ikke i denne høringen.")}
    )
    labels = forms.MultipleChoiceField(
        required=False, error_messages={"invalid_choice": UNKNOWN_LABEL}
    )
    page = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [
            (r.key, r.key) for r, _group in service.stored_groups(self.round)
        ]
        self.fields["labels"].choices = [
            (label.id, label.title) for label in service.round_labels(self.round)
        ]


def _group_choices(round: ConsultationRound) -> list[tuple[str, str]]:
    return [(r.key, r.key) for r, _group in service.stored_groups(round)]


class GroupMergeForm(RoundForm):
    groups = forms.MultipleChoiceField(
        error_messages={
            "invalid_choice": _("Gruppen %(value)s finnes ikke i denne høringen."),
            "required": _("Velg minst to grupper for å slå dem sammen."),
        }
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = _group_choices(self.round)


class GroupSplitForm(RoundForm):
    group = forms.ChoiceField(
        error_messages={"invalid_choice": _("Gruppen %(value)s finnes ikke i denne høringen.")}
    )
    refs = forms.MultipleChoiceField(
        error_messages={
            "invalid_choice": _("Innspill %(value)s finnes ikke i denne høringen."),
            "required": _("Velg noen, men ikke alle, av gruppens innspill for å dele gruppen."),
        }
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = _group_choices(self.round)
        refs = Submission.objects.filter(round=self.round).values_list("reference", flat=True)
        self.fields["refs"].choices = [(r, r) for r in refs]


def _theme_choices(round: ConsultationRound) -> list[tuple[str, str]]:
    current = service.current_themes(round)
    if current is None:
        return []
    return [(t.id, t.label) for t in theme_set_from_json(current.data).themes]


_THEME_ERRORS = {
    "invalid_choice": _("Temaet finnes ikke i denne høringen."),
    "required": _("Velg et tema."),
}


class ThemeRenameForm(RoundForm):
    theme = forms.ChoiceField(error_messages=_THEME_ERRORS)
    label = forms.CharField(max_length=120, error_messages={"required": _("Temaet må ha et navn.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = _theme_choices(self.round)


class ThemeMergeForm(RoundForm):
    themes = forms.MultipleChoiceField(
        error_messages={**_THEME_ERRORS, "required": _("Velg minst to temaer.")}
    )
    label = forms.CharField(max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = _theme_choices(self.round)


_REFERENCE = re.compile(r"h[\s-]*\d{4}[\s-]+\d{1,9}", re.IGNORECASE)


class ThemeSplitForm(RoundForm):
    theme = forms.ChoiceField(error_messages=_THEME_ERRORS)
    refs = forms.CharField(
        max_length=5000,
        error_messages={"required": _("Skriv referansene som skal bli et eget tema.")},
    )
    label = forms.CharField(
        max_length=120, error_messages={"required": _("Det nye temaet må ha et navn.")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = _theme_choices(self.round)

    def clean_refs(self) -> list[str]:
        """References as citizens see them (H-2024-0012), separated by commas, semicolons or
        spaces; each must name a proposal of this round."""
        text = self.cleaned_data["refs"]
        refs = [r for r in map(reference_in, _REFERENCE.findall(text)) if r]
        rest = [w for w in re.split(r"[\s,;]+", _REFERENCE.sub(" ", text)) if w]
        if rest or not refs:
            raise forms.ValidationError(
                _("Dette er ikke referanser: %(value)s. Skriv dem som H-2024-0012."),
                params={"value": ", ".join(rest) or text},
            )
        known = set(
            Submission.objects.filter(round=self.round, reference__in=refs).values_list(
                "reference", flat=True
            )
        )
        missing = [r for r in refs if r not in known]
        if missing:
            raise forms.ValidationError(
                _("Finnes ikke i denne høringen: %(value)s."), params={"value": ", ".join(missing)}
            )
        return refs


class SectionForm(RoundForm):
    label = forms.ChoiceField(error_messages={"invalid_choice": UNKNOWN_LABEL})
    text = forms.CharField(widget=forms.Textarea, max_length=20000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].choices = [
            (label.id, label.title) for label in service.round_labels(self.round)
        ]
