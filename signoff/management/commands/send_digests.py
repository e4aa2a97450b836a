from django.core.management.base import BaseCommand

from signoff import emails


class Command(BaseCommand):
    help = (
        "Send the daily digest email now to everyone who chose it and has something not yet "
        "told (Celery beat does this at 07:00; this is for a cron job instead). Running it "
        "again sends nothing more."
    )

    def handle(self, *args, **options):
        people = items = 0
        for user_id in emails.digest_recipients():
            sent = emails.digest_send(user_id=user_id)
            people += bool(sent)
            items += sent
        self.stdout.write(
            f"Sent {people} digest{'s' if people != 1 else ''} "
            f"({items} update{'s' if items != 1 else ''})."
        )
