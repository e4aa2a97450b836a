"""Tokens made before uses were recorded (monitoring 0004) say since when none is recorded, not
"Never used", since they may have been used (docs/decisions/0465); new tokens say "Never used"."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from monitoring import services
from monitoring.models import ApiToken
from monitoring.presenters import last_use
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE_USES_RECORDED = [("monitoring", "0003_return_version")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


def test_tokens_made_before_uses_were_recorded_say_since_when_and_new_ones_never_used():
    user = UserFactory(role="pct_lead")
    try:
        old = migrate(BEFORE_USES_RECORDED).loader.project_state(BEFORE_USES_RECORDED).apps
        old.get_model("monitoring", "ApiToken").objects.create(
            user_id=user.pk, name="Finance spreadsheet", key_sha256="a" * 64, prefix="aaaaaaaa"
        )
        started = timezone.now()
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    made_before = ApiToken.objects.get(name="Finance spreadsheet")
    assert made_before.last_used_at is None
    assert made_before.uses_recorded_from >= started
    assert last_use(made_before).startswith("Not used since ")
    made_after, _key = services.token_create(user=user, name="Old laptop")
    assert made_after.uses_recorded_from is None
    assert last_use(made_after) == "Never used"
