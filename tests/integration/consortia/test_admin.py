from base64 import b32encode

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from consortia.models import Commissioner, Consortium, Person, Position, Practice, User
from tests.factories import (
    CommissionerFactory,
    ConsortiumFactory,
    PersonFactory,
    PracticeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def admin_client(client):
    # Not a superuser: the site administrator role alone opens these pages.
    client.force_login(UserFactory(role=User.Role.SITE_ADMIN, is_superuser=False))
    return client


def add_user_data(**overrides) -> dict:
    return {
        "email": "New.Person@Example.org",
        "full_name": "New Person",
        "role": User.Role.CONSORTIUM_EDITOR,
        "commissioner": "",
        "consortium": "",
        "usable_password": "true",
        "password1": "a-Long-enough-passw0rd",
        "password2": "a-Long-enough-passw0rd",
        **overrides,
    }


def test_site_administrator_adds_a_consortium_editor_by_email(admin_client):
    consortium = ConsortiumFactory()

    response = admin_client.post(
        reverse("admin:consortia_user_add"), add_user_data(consortium=consortium.pk)
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.full_name == "New Person"
    assert user.commissioner == consortium.commissioner
    assert user.check_password("a-Long-enough-passw0rd")
    assert not user.is_staff


def test_a_user_in_a_consortium_outside_their_pct_is_refused_with_a_message(admin_client):
    consortium = ConsortiumFactory()

    response = admin_client.post(
        reverse("admin:consortia_user_add"),
        add_user_data(consortium=consortium.pk, commissioner=CommissionerFactory().pk),
    )

    assert response.status_code == 200
    assert "This consortium belongs to another PCT than the one chosen." in (
        response.content.decode()
    )
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_a_pct_user_without_a_pct_is_refused_with_a_message(admin_client):
    response = admin_client.post(
        reverse("admin:consortia_user_add"), add_user_data(role=User.Role.PCT_LEAD)
    )

    assert "Choose the PCT this person works for." in response.content.decode()


def test_the_user_change_page_edits_role_and_organisation(admin_client):
    user = UserFactory(role=User.Role.PCT_LEAD)
    other_pct = CommissionerFactory()

    response = admin_client.post(
        reverse("admin:consortia_user_change", args=[user.pk]),
        {
            "email": user.email,
            "full_name": "Renamed Lead",
            "role": User.Role.PCT_CHIEF_EXECUTIVE,
            "commissioner": other_pct.pk,
            "consortium": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.role, user.commissioner) == (
        "Renamed Lead",
        User.Role.PCT_CHIEF_EXECUTIVE,
        other_pct,
    )


def test_a_person_in_a_consortium_outside_their_pct_is_refused_with_a_message(admin_client):
    consortium = ConsortiumFactory(name="Faraway Consortium")

    response = admin_client.post(
        reverse("admin:consortia_person_add"),
        {
            "name": "Dr Elsewhere",
            "commissioner": CommissionerFactory().pk,
            "consortium": consortium.pk,
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        },
    )

    assert "Faraway Consortium belongs to" in response.content.decode()
    assert not Person.objects.filter(name="Dr Elsewhere").exists()


def practice_data(consortium, **overrides) -> dict:
    return {
        "consortium": consortium.pk,
        "name": "New Surgery",
        "code": "B12345",
        "list_size": "5000",
        "sites": "",
        "position": "0",
        **overrides,
    }


def test_a_duplicate_practice_code_is_refused_with_a_message(admin_client):
    existing = PracticeFactory(code="B12345")

    response = admin_client.post(
        reverse("admin:consortia_practice_add"), practice_data(existing.consortium)
    )

    assert "Another practice already has this practice code." in response.content.decode()
    assert Practice.objects.filter(code="B12345").count() == 1


def test_a_negative_list_size_is_refused_with_a_message(admin_client):
    response = admin_client.post(
        reverse("admin:consortia_practice_add"),
        practice_data(ConsortiumFactory(), list_size="-10"),
    )

    assert "A list size cannot be negative." in response.content.decode()
    assert not Practice.objects.filter(code="B12345").exists()


def test_a_consortium_with_people_cannot_move_to_another_pct(admin_client):
    person = PersonFactory()
    consortium = person.consortium

    response = admin_client.post(
        reverse("admin:consortia_consortium_change", args=[consortium.pk]),
        {
            "slug": consortium.slug,
            "name": consortium.name,
            "legal_name": consortium.legal_name,
            "commissioner": CommissionerFactory().pk,
            "declared_population": "",
            "practices-TOTAL_FORMS": "0",
            "practices-INITIAL_FORMS": "0",
            "people-TOTAL_FORMS": "0",
            "people-INITIAL_FORMS": "0",
        },
    )

    assert "move or remove them before moving the consortium" in response.content.decode()


def test_a_consortiums_and_its_pcts_slugs_stay_as_added(admin_client):
    consortium = ConsortiumFactory()
    commissioner = consortium.commissioner

    pct_saved = admin_client.post(
        reverse("admin:consortia_commissioner_change", args=[commissioner.pk]),
        {"slug": "renamed-pct", "name": commissioner.name},
    )
    consortium_saved = admin_client.post(
        reverse("admin:consortia_consortium_change", args=[consortium.pk]),
        {
            "slug": "renamed-consortium",
            "name": consortium.name,
            "legal_name": consortium.legal_name,
            "commissioner": commissioner.pk,
            "declared_population": "",
            "practices-TOTAL_FORMS": "0",
            "practices-INITIAL_FORMS": "0",
            "people-TOTAL_FORMS": "0",
            "people-INITIAL_FORMS": "0",
        },
    )

    assert (pct_saved.status_code, consortium_saved.status_code) == (302, 302)
    # Signed plans' content names both by slug (signoff/canonical.py).
    assert Commissioner.objects.get(pk=commissioner.pk).slug == commissioner.slug
    assert Consortium.objects.get(pk=consortium.pk).slug == consortium.slug


def test_people_added_on_the_consortium_page_join_its_pct(admin_client):
    consortium = ConsortiumFactory()

    response = admin_client.post(
        reverse("admin:consortia_consortium_change", args=[consortium.pk]),
        {
            "slug": consortium.slug,
            "name": consortium.name,
            "legal_name": consortium.legal_name,
            "commissioner": consortium.commissioner.pk,
            "declared_population": "",
            "practices-TOTAL_FORMS": "0",
            "practices-INITIAL_FORMS": "0",
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-name": "Dr New Director",
        },
    )

    assert response.status_code == 302
    person = Person.objects.get(name="Dr New Director")
    assert (person.consortium, person.commissioner) == (consortium, consortium.commissioner)


def deletion_tried(admin_client, url) -> str:
    """The admin's delete page at ``url``, then its "Yes, I'm sure" posted: the page as shown."""
    page = admin_client.get(url).content.decode()
    admin_client.post(url, {"post": "yes"})
    return page


def test_deleting_a_consortium_with_practices_is_refused_plainly(admin_client):
    practice = PracticeFactory(name="Still Here Surgery")
    url = reverse("admin:consortia_consortium_delete", args=[practice.consortium.pk])

    page = deletion_tried(admin_client, url)

    assert "Cannot delete consortium" in page
    assert "Still Here Surgery" in page
    assert Consortium.objects.filter(pk=practice.consortium.pk).exists()


def test_deleting_a_pct_with_consortia_is_refused_plainly(admin_client):
    consortium = ConsortiumFactory(name="Dependent Consortium")
    url = reverse("admin:consortia_commissioner_delete", args=[consortium.commissioner.pk])

    page = deletion_tried(admin_client, url)

    assert "Dependent Consortium" in page
    assert Commissioner.objects.filter(pk=consortium.commissioner.pk).exists()


def test_the_admin_lists_every_organisation_model_for_site_administrators(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()

    for name in ("Commissioners", "Consortia", "Practices", "People", "Users"):
        assert name in page


def test_site_administrator_adds_a_position_with_its_holder_and_then_a_successor(admin_client):
    pct = CommissionerFactory()
    first = UserFactory(role=User.Role.PCT_OFFICER, commissioner=pct, full_name="Frank First")
    second = UserFactory(role=User.Role.PCT_OFFICER, commissioner=pct, full_name="Sue Second")
    fields = {
        "commissioner": pct.pk,
        "consortium": "",
        "body": "",
        "name": "Director of Finance",
        "appointments-TOTAL_FORMS": "0",
        "appointments-INITIAL_FORMS": "0",
    }

    added = admin_client.post(
        reverse("admin:consortia_position_add"),
        {**fields, "new_holder": first.pk, "holder_from": "2007-04-01"},
    )
    position = Position.objects.get(commissioner=pct)
    changed = admin_client.post(
        reverse("admin:consortia_position_change", args=[position.pk]),
        {
            **fields,
            "appointments-TOTAL_FORMS": "1",
            "appointments-INITIAL_FORMS": "1",
            "appointments-0-id": position.appointments.get().pk,
            "appointments-0-position": position.pk,
            "new_holder": second.pk,
            "holder_from": "2007-10-01",
        },
    )

    assert added.status_code == changed.status_code == 302
    assert [(a.user, a.ended_on is None) for a in position.appointments.order_by("started_on")] == [
        (first, False),
        (second, True),
    ]


def test_a_recovery_code_added_on_the_stacked_inline_is_saved(client):
    # django_otp's admin, which asks for Django's permissions: the demo's administrator is a
    # superuser as well. Codes are added with a new device only: an existing one's are not
    # shown (see the test below).
    site_admin = UserFactory(role=User.Role.SITE_ADMIN)
    client.force_login(site_admin)
    form = {
        "user": site_admin.pk,
        "name": "Recovery codes",
        "confirmed": "on",
        "token_set-TOTAL_FORMS": "1",
        "token_set-INITIAL_FORMS": "0",
        "token_set-0-token": "abcd1234",
    }

    page = client.get(reverse("admin:otp_static_staticdevice_add"))
    response = client.post(reverse("admin:otp_static_staticdevice_add"), form)

    assert 'data-inline-type="stacked"' in page.content.decode()
    assert response.status_code == 302
    device = StaticDevice.objects.get(user=site_admin)
    assert list(device.token_set.values_list("token", flat=True)) == ["abcd1234"]


def test_the_site_administrator_cannot_read_anyones_authenticator_key_or_recovery_codes(client):
    """A second factor's secret in the admin would let its reader give the code of a PCT lead or
    a signatory, silently: the admin shows neither the app's key (nor its QR code) nor the
    unused recovery codes of a device already made."""
    client.force_login(UserFactory(role=User.Role.SITE_ADMIN))
    signatory = UserFactory(role=User.Role.PCT_CHIEF_EXECUTIVE)
    app = TOTPDevice.objects.create(user=signatory, name="Authenticator app", confirmed=True)
    codes = StaticDevice.objects.create(user=signatory, name="Recovery codes", confirmed=True)
    codes.token_set.create(token="zyxw9876")
    secret_forms = {app.key, b32encode(app.bin_key).decode(), "zyxw9876"}

    pages = [
        client.get(reverse("admin:otp_totp_totpdevice_changelist")),
        client.get(reverse("admin:otp_totp_totpdevice_change", args=[app.pk])),
        client.get(reverse("admin:otp_static_staticdevice_change", args=[codes.pk])),
    ]
    config = client.get(reverse("admin:otp_totp_totpdevice_config", args=[app.pk]))
    qr_code = client.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[app.pk]))

    assert [page.status_code for page in pages] == [200, 200, 200]
    shown = "".join(page.content.decode() for page in pages)
    assert str(signatory) in shown
    assert [secret for secret in secret_forms if secret in shown] == []
    assert "qrcode" not in shown
    assert (config.status_code, qr_code.status_code) == (403, 403)


def test_the_admin_pages_name_the_services_icon_so_the_browser_asks_for_no_missing_one(
    admin_client,
):
    page = admin_client.get("/admin/").content.decode()

    assert 'rel="icon" href="/static/nhsuk/assets/images/favicon.ico"' in page
