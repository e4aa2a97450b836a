"""Completing the second factor in tests: codes computed from a device's key, recovery codes,
and a test client whose force_login also gives the second step where the role needs one."""

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from consortia import credentials


def authenticator(user) -> TOTPDevice:
    device = credentials.authenticator_of(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    return device


def next_code(device: TOTPDevice) -> str:
    """A code the device accepts now: the current one, or the next if that one was used.

    Waits for the next time step when even that was used (a code works once).
    """
    device.refresh_from_db()
    while True:
        now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
        step = max(now, device.last_t + 1)
        if step <= now + device.tolerance:
            return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
        time.sleep(1)


def recovery_code(user) -> str:
    """A fresh single-use recovery code for the user: any number can be had, at any time."""
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    return StaticToken.objects.create(device=device, token=StaticToken.random_token()).token


class SecondFactorClient(Client):
    """``force_login`` signs in as a person who has also given their second factor."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if credentials.second_factor_required(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
            session.save()


def signed_in(user) -> SecondFactorClient:
    """A client signed in as ``user``, with the second factor where the account needs one."""
    client = SecondFactorClient()
    client.force_login(user)
    return client
