"""Indexes for reading the answers' history newest first, by plan and by answer.

The plan's history page and an answer's revisions filter the history by plan or answer and
order by (history_date, history_id) descending; without these, a plan with 100,000 revisions
sorts them all for each page. simple-history builds the historical model itself (no Meta of
ours to declare indexes on), so the indexes are made here in SQL both databases read alike.
"""

from django.db import migrations

INDEXES = {
    "plans_histanswer_plan_newest": "plan_id, history_date DESC, history_id DESC",
    "plans_histanswer_answer_newest": "id, history_date DESC, history_id DESC",
}


class Migration(migrations.Migration):
    dependencies = [("plans", "0007_audit_chain")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {name} ON plans_historicalanswer ({columns})",
            reverse_sql=f"DROP INDEX {name}",
        )
        for name, columns in INDEXES.items()
    ]
