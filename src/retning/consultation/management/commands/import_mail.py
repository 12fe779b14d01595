"""`retning import-mail --round SLUG PATH…` / `--imap` / `--graph`: store, then register,
e-mailed proposals (.eml, Outlook .msg, mbox, Maildir, an IMAP or a Microsoft 365 mailbox)."""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from retning.consultation import intake
from retning.consultation.mailsource import iter_messages
from retning.consultation.models import Channel, ConsultationRound, ReceivedItem
from retning.consultation.receipts import send_receipt
from retning.strategy.selectors import current_strategy

OUTCOMES = [
    "stored",
    "registered",
    "already present",
    "unmatched",
    "automatic",
    "duplicate",
    "too large",
    "failed",
    "not stored",
]


class Command(BaseCommand):
    help = (
        "Import e-mailed proposals: .eml and Outlook .msg files, directories, mbox files, "
        "Maildir folders, an IMAP mailbox (--imap) or a Microsoft 365 mailbox through "
        "Microsoft Graph (--graph). Exits non-zero only when something could not be stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, help="the consultation round's slug")
        parser.add_argument("--imap", action="store_true", help="read the RETNING_IMAP_* mailbox")
        parser.add_argument(
            "--graph", action="store_true", help="read the RETNING_GRAPH_* mailbox (Microsoft 365)"
        )
        parser.add_argument("paths", nargs="*")

    def handle(self, *args, round: str, imap: bool, graph: bool, paths: list[str], **options):
        try:
            consultation = ConsultationRound.objects.get(strategy=current_strategy(), slug=round)
        except ConsultationRound.DoesNotExist:
            raise CommandError(f"no consultation round with slug {round!r}") from None
        if not paths and not imap and not graph:
            raise CommandError("give one or more paths, --imap or --graph")
        counts: Counter[str] = Counter()
        if paths:
            for message in iter_messages(paths):
                if message.raw is None:
                    counts["not stored"] += 1
                    self.stderr.write(f"not stored: {message.source}: {message.error}")
                    continue
                self._one(consultation, message.raw, message.source, None, counts)
        if imap:
            import imaplib

            from imap_tools.errors import ImapToolsError

            from retning.consultation.entra import MailServiceError
            from retning.consultation.imap import import_imap

            try:
                import_imap(
                    consultation,
                    lambda raw, source, date: self._one(consultation, raw, source, date, counts),
                )
            except MailServiceError as exc:
                self._summary(counts)
                raise CommandError(f"IMAP: {exc}") from exc
            except (OSError, ValueError, imaplib.IMAP4.error, ImapToolsError) as exc:
                self._summary(counts)
                raise CommandError(f"IMAP: {type(exc).__name__}: {exc}") from exc
        if graph:
            from retning.consultation.entra import MailServiceError
            from retning.consultation.graphmail import import_graph

            try:
                import_graph(
                    consultation,
                    lambda raw, source, date: self._one(consultation, raw, source, date, counts),
                )
            except MailServiceError as exc:
                self._summary(counts)
                raise CommandError(f"Microsoft Graph: {exc}") from exc
        self._summary(counts)
        if counts["not stored"]:
            raise CommandError(f"{counts['not stored']} message(s) could not be stored")

    def _summary(self, counts: Counter[str]) -> None:
        self.stdout.write("  ".join(f"{name}: {counts[name]}" for name in OUTCOMES))

    def _one(self, consultation, raw: bytes, source: str, internal_date, counts) -> ReceivedItem:
        item, created = intake.store_raw(
            consultation, Channel.EMAIL, raw, source=source, internal_date=internal_date
        )
        if created:
            counts["stored"] += 1
        elif item.status != ReceivedItem.Status.PENDING:
            counts["already present"] += 1
            return item
        status = intake.process_item(item)
        label = {
            ReceivedItem.Status.REGISTERED: "registered",
            ReceivedItem.Status.UNMATCHED: "unmatched",
            ReceivedItem.Status.AUTOMATIC: "automatic",
            ReceivedItem.Status.DUPLICATE: "duplicate",
            ReceivedItem.Status.OVERSIZED: "too large",
            ReceivedItem.Status.FAILED: "failed",
        }.get(status)
        if label:
            counts[label] += 1
        if status == ReceivedItem.Status.REGISTERED:
            send_receipt(item.submission)
        return item
