"""`retning analyse --round SLUG`: analyse a consultation round's proposals and store it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from retning.analysis.llm import LlmClient, LlmConfig, LlmError


class Command(BaseCommand):
    help = (
        "Suggest tags, find campaigns, similar proposals and themes for a consultation round "
        "and store them for staff to review (safe to run again; staff decisions are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, help="the round's id (slug)")
        parser.add_argument(
            "--draft",
            action="store_true",
            help="also draft section texts with the AI service in RETNING_LLM_URL (optional)",
        )

        parser.add_argument(
            "--json",
            action="store_true",
            help="print the stored analysis as JSON (proposals with reference, sender, "
            "analysed text and suggested categories; themes; campaigns) and analyse nothing",
        )
        parser.add_argument(
            "--llm-tags",
            action="store_true",
            help="also suggest tags with the language model in RETNING_LLM_URL (optional; "
            "scrubbed text only, answers cached, tags marked with their origin)",
        )

    def handle(
        self, *args, round: str, draft: bool, llm_tags: bool = False, json: bool = False, **options
    ):
        from retning.consultation.models import ConsultationRound
        from retning.consultation_analysis.decisions import draft_sections, draft_theme_names
        from retning.consultation_analysis.report_data import consultation_report
        from retning.consultation_analysis.service import analyse
        from retning.strategy.selectors import current_strategy

        strategy = current_strategy()
        found = ConsultationRound.objects.filter(strategy=strategy, slug=round).first()
        if found is None:
            known = ", ".join(strategy.consultation_rounds.values_list("slug", flat=True))
            raise CommandError(f"no consultation round {round!r} (known: {known or 'none'})")
        if json:
            self._print_json(found)
            return
        run = analyse(found)
        self.stdout.write(
            f"{found.slug}: {run.submissions} proposals, {run.suggested} with suggested tags "
            f"({run.model_version}, {run.confirmed_examples} confirmed examples), "
            f"{run.groups} duplicate groups ({run.campaigns} campaigns), "
            f"{len(run.links)} similar links, {run.themes} themes"
        )
        if llm_tags:
            self._llm_tags(found)
        if draft:
            config = LlmConfig.from_env()
            if config is None:
                raise CommandError(
                    "--draft needs RETNING_LLM_URL and RETNING_LLM_MODEL (and RETNING_LLM_API_KEY "
                    "when the service wants a key)"
                )
            report = consultation_report(found)
            quotes = {s.id: [q.text for q in s.quotes] for s in report.sections}
            try:
                client = LlmClient(config)
                drafted = draft_sections(found, client, quotes)
                named = draft_theme_names(found, client)
            except LlmError as exc:
                raise CommandError(f"AI drafting stopped: {exc}") from None
            self.stdout.write(
                f"{drafted} section texts and {named} theme names drafted (marked as AI drafts)"
            )

    def _llm_tags(self, found) -> None:
        from retning.consultation_analysis.service import suggest_with_language_model

        config = LlmConfig.from_env()
        if config is None:
            raise CommandError(
                "--llm-tags needs RETNING_LLM_URL and RETNING_LLM_MODEL (and RETNING_LLM_API_KEY "
                "when the service wants a key); "
                "the built-in suggestions are stored"
            )
        try:
            tagged, asked = suggest_with_language_model(found, LlmClient(config))
        except LlmError as exc:
            raise CommandError(
                f"language model tagging stopped: {exc}. The built-in suggestions are stored; "
                "answers received so far are cached."
            ) from None
        self.stdout.write(
            f"{tagged} proposals tagged by the language model {config.model} "
            f"({asked} requests, the rest from the cache)"
        )

    def _print_json(self, found) -> None:
        import json

        from retning.consultation_analysis.export_json import stored_analysis

        data = stored_analysis(found)
        if data is None:
            raise CommandError(
                f"round {found.slug!r} has no stored analysis yet; "
                f"run `retning analyse --round {found.slug}` first"
            )
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
