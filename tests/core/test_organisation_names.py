"""Organisation names shown as people write them: never lower-cased, legal forms upper.
The names are real ones: from the Central Coordinating Register's recorded answers
(/work/shared/data/wire/brreg) and from the emission register's facility list in the
bundled snapshot."""

from __future__ import annotations

import pytest

from retning.core.names import display_name


@pytest.mark.parametrize(
    ("register", "shown"),
    [
        # Norske utslipp writes facility names in sentence case
        ("Maarud as", "Maarud AS"),
        ("Hydro extrusion norway  magnor  før sapa", "Hydro Extrusion Norway Magnor før Sapa"),
        # Enhetsregisteret writes names in capitals
        ("EQUINOR ASA", "Equinor ASA"),
        ("SESAM FAMILIEBARNEHAGE", "Sesam Familiebarnehage"),
        ("REGISTERENHETEN I BRØNNØYSUND", "Registerenheten i Brønnøysund"),
        ("SLETTET ENHET AS", "Slettet Enhet AS"),
        ("Den norske stats oljeselskap a.s", "Den Norske Stats Oljeselskap A.S"),
        # a name that already has capitals inside is the organisation's own spelling
        ("Eidsiva Bioenergi AS", "Eidsiva Bioenergi AS"),
        ("Statkraft Varme as", "Statkraft Varme AS"),
    ],
)
def test_names_get_a_careful_case(register, shown):
    assert display_name(register) == shown


def test_no_capital_is_ever_lowered():
    for name in ["McDonald's Norge AS", "NorDan AS", "Hydro Extrusion Norway AS", "IKEA AS"]:
        shown = display_name(name)
        assert [c for c in name if c.isupper()] == [c for c in shown if c.isupper()] or (
            name.isupper()
        ), shown


@pytest.mark.django_db
def test_the_co2_goal_shows_facility_names_in_careful_case(client, snapshot_loaded):
    html = client.get("/mal/co2-industri/").content.decode()
    assert "Maarud AS" in html
    assert "Maarud as" not in html
    assert "Hydro Extrusion Norway Magnor" in html
    assert "magnor" not in html
