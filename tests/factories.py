import factory
from factory.django import DjangoModelFactory

from consortia import services
from consortia.models import Commissioner, Consortium, Person, PersonRole, Practice, User

PASSWORD = "a-Test-passw0rd"


class CommissionerFactory(DjangoModelFactory):
    class Meta:
        model = Commissioner
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"pct-{n}")
    name = factory.Sequence(lambda n: f"Test PCT {n}")


class ConsortiumFactory(DjangoModelFactory):
    class Meta:
        model = Consortium

    slug = factory.Sequence(lambda n: f"consortium-{n}")
    name = factory.Sequence(lambda n: f"Test Consortium {n}")
    legal_name = factory.LazyAttribute(lambda o: f"{o.name} Limited")
    commissioner = factory.SubFactory(CommissionerFactory)


class PracticeFactory(DjangoModelFactory):
    class Meta:
        model = Practice

    consortium = factory.SubFactory(ConsortiumFactory)
    name = factory.Sequence(lambda n: f"Test Surgery {n}")
    code = factory.Sequence(lambda n: f"Z{n:05d}")
    list_size = 6000


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Dr Test Person {n}")
    consortium = factory.SubFactory(ConsortiumFactory)
    commissioner = factory.LazyAttribute(lambda o: o.consortium.commissioner)


class PersonRoleFactory(DjangoModelFactory):
    class Meta:
        model = PersonRole

    person = factory.SubFactory(PersonFactory)
    kind = PersonRole.Kind.EXECUTIVE_MEMBER


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    role = User.Role.CONSORTIUM_EDITOR
    consortium = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role in User.CONSORTIUM_ROLES),
        yes_declaration=factory.SubFactory(ConsortiumFactory),
        no_declaration=None,
    )
    commissioner = factory.LazyAttribute(
        lambda o: (
            o.consortium.commissioner
            if o.consortium
            else (CommissionerFactory() if o.role in User.COMMISSIONER_ROLES else None)
        )
    )
    is_staff = factory.LazyAttribute(lambda o: o.role == User.Role.SITE_ADMIN)
    is_superuser = factory.LazyAttribute(lambda o: o.role == User.Role.SITE_ADMIN)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def invitation_sent(*, by: User, organisation, email: str, role: str = User.Role.CONSORTIUM_EDITOR):
    """An invitation ``by`` sent through the service (its email goes to the test outbox)."""
    return services.invitation_send(
        actor=by,
        organisation=organisation,
        email=email,
        full_name=email.split("@")[0].replace(".", " ").title(),
        role=role,
        client_address=None,
        link_for=str,
    )
