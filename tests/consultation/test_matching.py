import pytest

from retning.consultation.matching import match_subject

PATTERN = "Høringsinnspill næringsstrategi"


@pytest.mark.parametrize(
    "subject",
    [
        "Høringsinnspill næringsstrategi",
        "SV: Høringsinnspill næringsstrategi",
        "VS: Re: AW: Fwd: Høringsinnspill næringsstrategi",
        "HØRINGSINNSPILL NÆRINGSSTRATEGI",
        "høringsinnspill   næringsstrategi",
        "Høringsinnspill - næringsstrategi",
        "Høringsinnspill: næringsstrategi fra Eidskog Næringsforum",
        "Høringsinnspill – Næringsstrategi",
        "Horingsinnspill naeringsstrategi",
        "Hoeringsinnspill naringsstrategi",
        "Ho\u0308ringsinnspill n\u00e6ringsstrategi",  # NFD ö-like decomposition
        "Ho\u0338ringsinnspill næringsstrategi",  # o + combining long solidus overlay (NFD ø)
    ],
)
def test_match_subject_forgives_common_variations(subject):
    assert match_subject(subject, PATTERN).matched


@pytest.mark.parametrize(
    "subject",
    ["Møteinnkalling", "Høringsinnspill reguleringsplan", "", None, "næringsstrategi"],
)
def test_match_subject_rejects_other_subjects(subject):
    assert not match_subject(subject, PATTERN).matched


def test_match_subject_explains_removed_prefixes_and_letters():
    result = match_subject("SV: VS: Horingsinnspill naeringsstrategi", PATTERN)
    assert result.removed_prefixes == ["SV:", "VS:"]
    assert "letters" in result.steps
    assert result.explain().startswith("match: prefix")


def test_match_subject_exact_needs_no_steps():
    assert match_subject(PATTERN, PATTERN).steps == []
