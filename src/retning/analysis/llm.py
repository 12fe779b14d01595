"""Optional AI drafting through an OpenAI-compatible chat endpoint (e.g. a self-hosted model).

Retning works without it. When `RETNING_LLM_URL`, `RETNING_LLM_MODEL` and
`RETNING_LLM_API_KEY` are all set, it can draft theme names and section summaries. Every
such text is a `Draft` marked as an AI draft until a person approves or edits it, and no
personal data leaves the machine: e-mail addresses, phone numbers, the submitters' names
and signature lines are removed before anything is sent.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import httpx

TIMEOUT_SECONDS = 60.0
MAX_QUOTES = 12

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Norwegian numbers (8 digits, optionally +47/0047, spaced in pairs or 3-2-3) and other
# international numbers starting with +.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)47[\s.-]?)?(?:\d{2}[\s.-]?\d{2}[\s.-]?\d{2}[\s.-]?\d{2}"
    r"|\d{3}[\s.-]?\d{2}[\s.-]?\d{3})(?!\w)"
    r"|\+\d{1,3}[\s.-]?\d[\d\s.-]{6,14}\d"
)
_SIGNATURE = re.compile(
    r"^\s*((?:med\s+)?(?:vennlig\s+)?hilsen|mvh|beste\s+hilsen|helsing|venleg\s+helsing)"
    r"\b[\s,:]*.*$",
    re.IGNORECASE | re.MULTILINE,
)


class LlmError(Exception):
    """The AI service could not give a usable answer (the message says why)."""


@dataclass(frozen=True)
class LlmConfig:
    url: str
    model: str
    api_key: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> LlmConfig | None:
        """The configuration if all three variables are set, otherwise None (AI off)."""
        values = [environ.get(f"RETNING_LLM_{k}", "").strip() for k in ("URL", "MODEL", "API_KEY")]
        return cls(*values) if all(values) else None

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


def approve(draft: Draft, by: str, text: str | None = None) -> Draft:
    """A person approves the draft as it is, or with their edits."""
    return replace(draft, text=draft.text if text is None else text, approved_by=by)


def redact(text: str, names: Iterable[str] = ()) -> str:
    """The text without e-mail addresses, phone numbers, signature lines and given names."""
    text = _EMAIL.sub("[e-post]", text)
    text = _PHONE.sub("[telefon]", text)
    text = _SIGNATURE.sub(r"\1 [navn]", text)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        parts = [re.escape(p) for p in name.split()]
        text = re.sub(r"\b" + r"\s+".join(parts) + r"\b", "[navn]", text, flags=re.IGNORECASE)
        for part in name.split():
            if len(part) > 2:
                text = re.sub(rf"\b{re.escape(part)}\b", "[navn]", text)
    return text


class LlmClient:
    """Chat completions over HTTP with a timeout; one request per draft."""

    def __init__(self, config: LlmConfig, timeout: float = TIMEOUT_SECONDS):
        self.config = config
        self.timeout = timeout

    @property
    def origin(self) -> str:
        return f"ai-draft:{self.config.model}"

    def chat(self, system: str, user: str) -> str:
        payload = {
            "model": self.config.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "temperature": 0.2,
        }
        headers = {"Authorization": f"Bearer {self.config.api_key}"}
        try:
            response = httpx.post(
                self.config.endpoint, json=payload, headers=headers, timeout=self.timeout
            )
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
        listing = "\n".join(f"- {redact(q, names)}" for q in quotes[:MAX_QUOTES])
        answer = self.chat(
            "Du hjelper et sekretariat å lese høringsinnspill. Svar bare med et kort navn "
            "på bokmål (høyst seks ord) for temaet, uten anførselstegn.",
            f"Nøkkelord: {', '.join(terms)}\nUtdrag fra innspillene:\n{listing}",
        )
        return Draft(answer.splitlines()[0].strip().strip('"«»'), self.origin)

    def draft_section_summary(
        self, section_title: str, quotes: Sequence[str], names: Iterable[str] = ()
    ) -> Draft:
        """A neutral summary on bokmål of what the proposals under one section say."""
        names = list(names)
        listing = "\n".join(f"- {redact(q, names)}" for q in quotes[:MAX_QUOTES])
        answer = self.chat(
            "Du skriver utkast til en høringsoppsummering for politikere. Oppsummer nøytralt "
            "på bokmål, i ett til to avsnitt, hva innspillene sier. Ikke finn på noe som "
            "ikke står i innspillene, og ikke nevn navn.",
            f"Del av strategien: {section_title}\nInnspill:\n{listing}",
        )
        return Draft(answer, self.origin)
