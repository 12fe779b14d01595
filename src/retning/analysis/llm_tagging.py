"""Category suggestions from an optional language model (an OpenAI-compatible endpoint).

Never required: the built-in tagger works without it. What the model is sent is the
cleaned text after the one scrubber (`personaldata.scrub`), so no name, address, phone
number or e-mail address leaves the machine. Answers are cached by the scrubbed text, the
model and the category set, so a round is asked about once per text and a changed strategy
or model asks again. Every tag it gives is marked with its origin (`llm:<model>`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, MutableMapping, Sequence

from retning.analysis.labels import Label
from retning.analysis.llm import LlmClient, LlmError
from retning.analysis.personaldata import scrub

# Long texts are cut: the categories are clear from the first pages, and a local model's
# context is small.
MAX_CHARS = 6000
_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


def prompt(labels: Sequence[Label], text: str) -> tuple[str, str]:
    """The system and user messages asking which of the strategy's categories a text is
    about, answered as JSON with category ids only."""
    listing = "\n".join(
        f"- {label.id}: {label.title}" + (f" — {label.description}" if label.description else "")
        for label in labels
    )
    system = (
        "Du hjelper et sekretariat å merke høringsinnspill til en næringsstrategi. "
        "Velg de kategoriene innspillet handler om (ingen, én eller flere). Svar bare med "
        'JSON på formen {"categories": ["id", ...]} og bruk bare id-ene i listen.'
    )
    user = f"Kategorier:\n{listing}\n\nInnspill:\n{text[:MAX_CHARS]}"
    return system, user


def parse_answer(answer: str, known: Iterable[str]) -> tuple[str, ...]:
    """The category ids in a model's answer, in the order given, unknown ids dropped.

    A model may wrap the JSON in prose or a code fence; anything without a JSON object
    holding a list of categories is an error, not an empty answer.
    """
    found = _JSON_OBJECT.search(answer)
    try:
        data = json.loads(found.group(0)) if found else None
    except json.JSONDecodeError:
        data = None
    categories = data.get("categories") if isinstance(data, dict) else None
    if not isinstance(categories, list):
        raise LlmError(f"the answer holds no category list: {answer[:200]!r}")
    allowed = set(known)
    return tuple(dict.fromkeys(c for c in categories if isinstance(c, str) and c in allowed))


def cache_key(text: str, model: str, label_ids: Iterable[str]) -> str:
    """Same scrubbed text, same model, same category set → same answer."""
    material = "\x1f".join([model, ",".join(sorted(label_ids)), text])
    return hashlib.sha256(material.encode()).hexdigest()


class LlmTagger:
    """Asks the language model for a text's categories, through a cache."""

    def __init__(
        self,
        client: LlmClient,
        labels: Sequence[Label],
        cache: MutableMapping[str, tuple[str, ...]] | None = None,
    ):
        self.client = client
        self.labels = list(labels)
        self.ids = [label.id for label in self.labels]
        self.cache = {} if cache is None else cache
        self.calls = 0

    @property
    def origin(self) -> str:
        return f"llm:{self.client.config.model}"

    def suggest(self, text: str, names: Iterable[str] = ()) -> tuple[str, ...]:
        """The categories for one (cleaned) text; personal data is scrubbed before it is
        sent or used as a cache key."""
        scrubbed = scrub(text, list(names))
        key = cache_key(scrubbed, self.client.config.model, self.ids)
        if key in self.cache:
            return tuple(self.cache[key])
        system, user = prompt(self.labels, scrubbed)
        self.calls += 1
        labels = parse_answer(self.client.chat(system, user), self.ids)
        self.cache[key] = labels
        return labels
