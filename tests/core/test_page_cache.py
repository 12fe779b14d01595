"""The public-page cache: anonymous visitors get the page of the current data version, never
a logged-in user's page and never a page from before a refresh or a staff change."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import Client, RequestFactory

from retning.core.audit import field_values, record_changes
from retning.core.models import ChangeRecord
from retning.core.pagecache import data_version, public_page_cache
from retning.stats.sources.base import Record
from retning.stats.store import ensure_dataset, record_fetch
from retning.strategy.models import Goal

pytestmark = pytest.mark.django_db

GOAL_PAGE = "/mal/arbeidsplasser/"


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def reader():
    user = get_user_model().objects.create_user("leser", password="leser-sitt-passord-1")
    user.groups.add(Group.objects.get(name="Lesere"))
    return user


def rename_goal_unrecorded(title: str) -> None:
    """A change the data version does not see (a direct database update, no change record):
    only the cache can explain an old title afterwards."""
    Goal.objects.filter(slug="arbeidsplasser").update(title=title)


def test_anonymous_goal_page_is_served_from_the_cache_with_one_query(
    client, snapshot_loaded, django_assert_num_queries
):
    first = page(client, GOAL_PAGE)
    with django_assert_num_queries(1):  # the data version, nothing else
        again = page(client, GOAL_PAGE)
    assert again == first


def test_a_refresh_shows_at_once(client, snapshot_loaded, settings, tmp_path):
    settings.RETNING_RAW_DIR = tmp_path / "raw"
    before = page(client, GOAL_PAGE)
    assert "2015–2022" in before and "+446" in before  # Kongsvinger 8 222 → 8 668
    record_fetch(
        ensure_dataset("kommuneprofilen-arbeidsmarked"),
        via="import",
        records=[Record("employed_by_workplace", "3401", "2023", 8999, "persons")],
        raw=b"synthetic 2023 figure for Kongsvinger",
    )
    after = page(client, GOAL_PAGE)
    assert "2015–2023" in after and "+777" in after  # 8 999 − 8 222
    settings.RETNING_PAGE_CACHE_SECONDS = 0
    assert page(client, GOAL_PAGE) == after  # the same as a page made without the cache


def test_a_recorded_staff_change_shows_at_once(client, snapshot_loaded):
    assert "Syntetisk ny tittel" not in page(client, "/")
    goal = Goal.objects.get(slug="arbeidsplasser")
    before = field_values(goal, ["title"])
    goal.title = "Syntetisk ny tittel"
    goal.save()
    record_changes(goal, before, via=ChangeRecord.Via.ADMIN)  # what the admin does
    assert "Syntetisk ny tittel" in page(client, "/")
    assert "Syntetisk ny tittel" in page(client, GOAL_PAGE)


def test_logged_in_users_never_get_or_leave_a_cached_page(client, snapshot_loaded, reader):
    anonymous_before = page(client, GOAL_PAGE)
    rename_goal_unrecorded("Syntetisk tittel bare stab ser ennå")
    staff = Client()
    staff.force_login(reader)
    assert "Syntetisk tittel bare stab ser ennå" in page(staff, GOAL_PAGE)  # not the cached one
    # the staff page was not stored for others: anonymous still gets the page kept before
    assert page(client, GOAL_PAGE) == anonymous_before


def test_pages_differ_by_language_and_address(client, snapshot_loaded):
    norwegian = page(client, GOAL_PAGE)
    english = page(client, "/en" + GOAL_PAGE)
    assert 'lang="nb"' in norwegian and 'lang="en"' in english
    assert page(client, "/") != norwegian


def test_a_query_string_is_not_cached(client, snapshot_loaded):
    page(client, GOAL_PAGE + "?x=1")
    rename_goal_unrecorded("Syntetisk tittel etter spørring")
    assert "Syntetisk tittel etter spørring" in page(client, GOAL_PAGE + "?x=1")


def test_responses_that_differ_per_visitor_are_not_kept(snapshot_loaded):
    calls = []

    def make_view(kind: str):
        @public_page_cache
        def view(request):
            calls.append(kind)
            response = HttpResponse(f"{kind} {len(calls)}")
            if kind == "cookie":
                response.set_cookie("valg", "1")
            elif kind == "csrf":
                request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
            elif kind == "nonce":
                str(request._csp_nonce)  # the template used the nonce
            return response

        return view

    from django.contrib.auth.models import AnonymousUser
    from django.utils.csp import LazyNonce

    for kind in ("cookie", "csrf", "nonce", "plain"):
        view = make_view(kind)
        request = RequestFactory().get(f"/syntetisk/{kind}/")
        request.user = AnonymousUser()
        request._csp_nonce = LazyNonce()
        first = view(request).content
        request = RequestFactory().get(f"/syntetisk/{kind}/")
        request.user = AnonymousUser()
        request._csp_nonce = LazyNonce()
        second = view(request).content
        assert (first == second) is (kind == "plain"), kind


def test_data_version_changes_with_each_fetch(snapshot_loaded, settings, tmp_path):
    settings.RETNING_RAW_DIR = tmp_path / "raw"
    before = data_version()
    record_fetch(
        ensure_dataset("ssb-07459"),
        via="import",
        records=[Record("population", "3401", "2020", 1, "persons")],
        raw=b"synthetic open data",
    )
    assert data_version() != before


def test_front_and_goal_pages_stay_within_their_query_budget(
    client, snapshot_loaded, settings, django_assert_max_num_queries
):
    settings.RETNING_PAGE_CACHE_SECONDS = 0
    with django_assert_max_num_queries(12):
        page(client, GOAL_PAGE)
    with django_assert_max_num_queries(30):
        page(client, "/")
