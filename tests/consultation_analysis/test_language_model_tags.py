"""Optional language-model tags: from scrubbed text only, cached, marked with their origin,
never required, and a slow service stopped with a clear message. Against a loopback server
speaking the chat-completions protocol."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from retning.analysis.llm import LlmClient, LlmConfig, LlmError
from retning.analysis.llm_tagging import parse_answer
from retning.consultation.models import SubmissionTag
from retning.consultation_analysis import service
from retning.consultation_analysis.models import LlmTagAnswer
from tests.analysis.chat_completions_server import ChatCompletionsServer, keyword_answer
from tests.consultation_analysis.conftest import import_mail

pytestmark = pytest.mark.django_db

RULES = {"skog": "biookonomi", "klima": "baerekraftig-vekst"}
SIGNATURE = "\n\nMed vennlig hilsen\nAnne Moen\nTlf 912 34 567\nanne.moen@example.org"


@pytest.fixture
def small_round(loaded_strategy):
    round = loaded_strategy.consultation_rounds.get(slug="2024")
    import_mail(round, 1, "Skogen bør brukes til mer foredling i regionen." + SIGNATURE)
    import_mail(round, 2, "Klimautslippene fra industrien må ned, og skogen kan hjelpe.")
    import_mail(round, 3, "Vi trenger flere parkeringsplasser ved stasjonen." + SIGNATURE)
    service.analyse(round)
    return round


@pytest.fixture
def server():
    started = []

    def start(**kwargs) -> ChatCompletionsServer:
        started.append(ChatCompletionsServer(**kwargs))
        return started[-1]

    yield start
    for s in started:
        s.close()


def _client(url: str, timeout: float = 5) -> LlmClient:
    return LlmClient(LlmConfig(url, "local-model", "synthetic-key"), timeout=timeout)


def _llm_tags(round) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for tag in SubmissionTag.objects.filter(
        submission__round=round, origin=SubmissionTag.Origin.LANGUAGE_MODEL
    ).select_related("submission", "main_strategy", "focus_area"):
        out.setdefault(tag.submission.number, set()).add((tag.main_strategy or tag.focus_area).slug)
        assert tag.origin_detail == "llm:local-model"
    return out


def test_tags_come_from_scrubbed_text_and_are_marked_with_their_origin(small_round, server):
    submissions = list(service.analysed_submissions(small_round))
    built_in = service.effective_tags(small_round, submissions)
    chat = server(answer=keyword_answer(RULES))
    tagged, asked = service.suggest_with_language_model(small_round, _client(chat.url))
    assert (tagged, asked) == (2, 3)
    assert _llm_tags(small_round) == {1: {"biookonomi"}, 2: {"biookonomi", "baerekraftig-vekst"}}
    sent = "\n".join(str(r["json"]) for r in chat.requests)
    assert chat.requests[0]["path"] == "/v1/chat/completions"
    for personal in ["Anne", "Moen", "912 34 567", "anne.moen@example.org", "Innsender 1"]:
        assert personal not in sent, personal
    # Suggestions beside the built-in ones: what counts is unchanged until a person decides.
    assert service.effective_tags(small_round, submissions) == built_in


def test_answers_are_cached_by_text_model_and_categories(small_round, server):
    chat = server(answer=keyword_answer(RULES))
    service.suggest_with_language_model(small_round, _client(chat.url))
    assert LlmTagAnswer.objects.count() == 3
    tagged, asked = service.suggest_with_language_model(small_round, _client(chat.url))
    assert (tagged, asked) == (2, 0)
    assert len(chat.requests) == 3, "the second run is answered from the cache"
    other = LlmClient(LlmConfig(chat.url, "other-model", "synthetic-key"), timeout=5)
    assert service.suggest_with_language_model(small_round, other)[1] == 3


def test_a_person_decision_is_not_asked_about_and_not_overridden(
    small_round, server, django_user_model
):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("saksbehandler")
    user.groups.add(Group.objects.get(name="Saksbehandlere"))
    first = small_round.submissions.get(number=1)
    service.confirm_tags(first, user, [])
    chat = server(answer=keyword_answer(RULES))
    assert service.suggest_with_language_model(small_round, _client(chat.url))[1] == 2
    assert 1 not in _llm_tags(small_round)
    assert service.effective_tags(small_round, [first]) == {first.pk: []}


def test_a_slow_service_stops_with_a_clear_message(small_round, server):
    chat = server(answer=keyword_answer(RULES), delay=3)
    with pytest.raises(LlmError, match="did not answer within 1 seconds"):
        service.suggest_with_language_model(small_round, _client(chat.url, timeout=1))
    assert not _llm_tags(small_round)


def test_command_runs_without_a_language_model_and_says_what_is_missing(small_round, monkeypatch):
    for name in ("URL", "MODEL", "API_KEY"):
        monkeypatch.delenv(f"RETNING_LLM_{name}", raising=False)
    with pytest.raises(CommandError, match="--llm-tags needs RETNING_LLM_URL"):
        call_command("analyse", "--round", small_round.slug, "--llm-tags")
    call_command("analyse", "--round", small_round.slug)  # never required


def test_command_tags_with_the_configured_language_model(small_round, server, monkeypatch, capsys):
    chat = server(answer=keyword_answer(RULES))
    monkeypatch.setenv("RETNING_LLM_URL", chat.url)
    monkeypatch.setenv("RETNING_LLM_MODEL", "local-model")
    monkeypatch.setenv("RETNING_LLM_API_KEY", "synthetic-key")
    call_command("analyse", "--round", small_round.slug, "--llm-tags")
    assert "2 proposals tagged by the language model local-model (3 requests" in (
        capsys.readouterr().out
    )
    assert _llm_tags(small_round)[2] == {"biookonomi", "baerekraftig-vekst"}


def test_answers_are_read_from_json_in_prose_and_unknown_ids_dropped():
    assert parse_answer('Svar: {"categories": ["a", "zz", "b", "a"]}', ["a", "b"]) == ("a", "b")
    assert parse_answer('```json\n{"categories": []}\n```', ["a"]) == ()
    for bad in ["a, b", '{"kategorier": ["a"]}', "{not json}"]:
        with pytest.raises(LlmError, match="no category list"):
            parse_answer(bad, ["a"])
