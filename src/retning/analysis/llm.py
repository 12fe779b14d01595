"""Optional AI drafting through an OpenAI-compatible chat endpoint (e.g. a self-hosted model).

Retning works without it. When `RETNING_LLM_URL` and `RETNING_LLM_MODEL` are set (and
`RETNING_LLM_API_KEY` when the service wants one: a self-hosted model such as Ollama or vLLM
often does not), it can draft theme names and section summaries. Every
such text is a `Draft` marked as an AI draft until a person approves or edits it, and no
personal data leaves the machine: every quote passes through the one scrubber
(`personaldata.scrub`: e-mail addresses, phone numbers, identity numbers, addresses, names
in greetings and signatures, and the submitters' names) before anything is sent.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from retning.analysis.personaldata import scrub

TIMEOUT_SECONDS = 60.0
MAX_QUOTES = 12


class LlmError(Exception):
    """The AI service could not give a usable answer (the message says why)."""


@dataclass(frozen=True)
class LlmConfig:
    url: str
    model: str
    api_key: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> LlmConfig | None:
        """The configuration if the address and the model are set, otherwise None (AI off);
        the key is sent only when one is set."""
        url, model, api_key = (
            environ.get(f"RETNING_LLM_{k}", "").strip() for k in ("URL", "MODEL", "API_KEY")
        )
        return cls(url, model, api_key) if url and model else None

    @property
    def endpoint(self) -> str:
        base = self.url.rstrip("/")
        return base if base.endswith("/chat/completions") else f"{base}/chat/completions"


@dataclass(frozen=True)
class Draft:
    """A text written by the AI service, not to be used as final until a person approves."""

    text: str
    origin: str
    approved_by: str | None = None

    @property
    def is_ai_draft(self) -> bool:
        return self.approved_by is None


class LlmClient:
    """Chat completions over HTTP with a timeout; one request per draft."""

    def __init__(self, config: LlmConfig, timeout: float = TIMEOUT_SECONDS):
        self.config = config
        self.timeout = timeout

    @property
    def origin(self) -> str:
        return f"ai-draft:{self.config.model}"

    def chat(self, system: str, user: str) -> str:
        import httpx

        payload = {
            "model": self.config.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "temperature": 0.2,
        }
        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
        try:
            response = httpx.post(
                self.config.endpoint, json=payload, headers=headers, timeout=self.timeout
            )
        except httpx.TimeoutException:
            raise LlmError(
                f"{self.config.endpoint} did not answer within {self.timeout:g} seconds "
                "(set a longer timeout or use a faster model)"
            ) from None
        except httpx.HTTPError as exc:
            raise LlmError(f"{self.config.endpoint}: {exc}") from exc
        if response.status_code != 200:
            raise LlmError(
                f"{self.config.endpoint} answered {response.status_code}: {response.text[:200]}"
            )
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LlmError(
                f"{self.config.endpoint}: not a chat completion ({exc!r}): {response.text[:200]}"
            ) from None
        if not isinstance(content, str) or not content.strip():
            raise LlmError(f"{self.config.endpoint}: empty answer")
        return content.strip()

    def draft_theme_name(
        self, terms: Sequence[str], quotes: Sequence[str], names: Iterable[str] = ()
    ) -> Draft:
        """A short Norwegian name for a theme, from its top terms and quotes."""
        names = list(names)
        listing = "\n".join(f"- {scrub(q, names)}" for q in quotes[:MAX_QUOTES])
        answer = self.chat(
            "Du hjelper et sekretariat å lese høringsinnspill. Svar bare med et kort navn "
            "på bokmål (høyst seks ord) for temaet, uten anførselstegn.",
            f"Nøkkelord: {scrub(', '.join(terms), names)}\nUtdrag fra innspillene:\n{listing}",
        )
        return Draft(answer.splitlines()[0].strip().strip('"«»'), self.origin)

    def draft_section_summary(
        self, section_title: str, quotes: Sequence[str], names: Iterable[str] = ()
    ) -> Draft:
        """A neutral summary on bokmål of what the proposals under one section say."""
        names = list(names)
        listing = "\n".join(f"- {scrub(q, names)}" for q in quotes[:MAX_QUOTES])
        answer = self.chat(
            "Du skriver utkast til en høringsoppsummering for politikere. Oppsummer nøytralt "
            "på bokmål, i ett til to avsnitt, hva innspillene sier. Ikke finn på noe som "
            "ikke står i innspillene, og ikke nevn navn.",
            f"Del av strategien: {section_title}\nInnspill:\n{listing}",
        )
        return Draft(answer, self.origin)
