from __future__ import annotations

import factory

from ghiseu.accounts.models import Department, NomenclatorEntry, Role, User

PASSWORD = "parola-test-123"  # every user the factories make signs in with it


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"Compartimentul {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Ana"
    last_name = factory.Sequence(lambda n: f"Popescu{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.ro")
    role = Role.CITIZEN
    password = factory.django.Password(PASSWORD)


class StaffFactory(UserFactory):
    role = Role.OFFICER
    department = factory.SubFactory(DepartmentFactory)


class NomenclatorEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NomenclatorEntry
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"I/A/{n}")
    name = factory.Sequence(lambda n: f"Corespondență {n}")
    department = factory.SubFactory(DepartmentFactory)
    retention_years = 5
