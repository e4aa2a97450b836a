"""Loaded only by a test worker (slow_worker_settings): every PDF render waits a long time
before it starts, long enough for the test to kill the worker while it is "rendering"."""

import time

from celery.signals import task_prerun

DELAY_SECONDS = 300


@task_prerun.connect
def _slow_down_rendering(**_):
    from signoff import pdf

    if getattr(pdf.render_plan_pdf, "slowed", False):
        return
    real = pdf.render_plan_pdf

    def slowly(**kwargs):
        time.sleep(DELAY_SECONDS)
        return real(**kwargs)

    slowly.slowed = True
    pdf.render_plan_pdf = slowly
