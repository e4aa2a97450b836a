from django.core.management.base import BaseCommand, CommandError

from plans.audit import audit_chain_verify
from plans.models import Plan


class Command(BaseCommand):
    help = (
        "Verify every plan's audit chain (events, signatures and ready PDFs): recompute each "
        "link's hash from the stored row and name the first row that does not hold."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, action="append", help="Only this plan (by id).")

    def handle(self, *args, plan=None, **options):
        plans = Plan.objects.order_by("pk")
        if plan:
            plans = plans.filter(pk__in=plan)
            missing = set(plan) - set(plans.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No plan with id {', '.join(map(str, sorted(missing)))}.")
        broken = 0
        for each in plans.iterator():
            check = audit_chain_verify(each)
            if check.intact and not check.length:
                self.stdout.write(f"Plan {each.pk} ({each}): nothing recorded yet")
            elif check.intact:
                self.stdout.write(
                    f"Plan {each.pk} ({each}): {check.length} links, intact, "
                    f"head {check.head_sha256}"
                )
            else:
                broken += 1
                message = f"Plan {each.pk} ({each}): BROKEN at {check.broken}"
                self.stdout.write(self.style.ERROR(message))
        if broken:
            raise CommandError(f"{broken} of {plans.count()} audit chains are broken.")
        self.stdout.write(self.style.SUCCESS(f"{plans.count()} audit chains verified, all intact."))
