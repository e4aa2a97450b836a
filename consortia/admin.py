"""The Django admin for site administrators: organisations, people, user accounts, CSV import."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin, StaticTokenInline
from django_otp.plugins.otp_static.models import StaticDevice

from . import presenters, services
from .dates import long_date
from .forms import PositionForm, PracticeForm, PracticeImportForm, UserAddForm, UserEditForm
from .models import (
    Appointment,
    Commissioner,
    Consortium,
    Invitation,
    PeopleEvent,
    Person,
    PersonRole,
    Position,
    Practice,
    User,
)
from .permissions import Perm, allowed


class AdministeredByRole:
    """Opens these pages to the site administrator role, not to Django's per-model permissions,
    so that who administers is decided in one place (docs/decisions/0102)."""

    def has_module_permission(self, request):
        return allowed(request.user, Perm.ADMINISTER)

    def has_view_permission(self, request, obj=None):
        return allowed(request.user, Perm.ADMINISTER)

    def has_add_permission(self, request, obj=None):
        return allowed(request.user, Perm.ADMINISTER)

    def has_change_permission(self, request, obj=None):
        return allowed(request.user, Perm.ADMINISTER)

    def has_delete_permission(self, request, obj=None):
        return allowed(request.user, Perm.ADMINISTER)


class SlugFixedOnceAdded:
    """A PCT's or consortium's slug is part of every signed plan's content (signoff/canonical.py)
    and of its pages' addresses: typed when it is added, then never changed here."""

    def get_readonly_fields(self, request, obj=None):
        fixed = ("slug",) if obj is not None else ()
        return (*super().get_readonly_fields(request, obj), *fixed)

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)


@admin.register(Commissioner)
class CommissionerAdmin(SlugFixedOnceAdded, AdministeredByRole, admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class PracticeInline(AdministeredByRole, admin.StackedInline):
    # Our inlines are stacked, not tabular: a tabular row's inputs have only a column heading,
    # which a screen reader does not announce as their label (axe: label, select-name).
    model = Practice
    form = PracticeForm
    fields = ("name", "code", "list_size", "is_demo", "position")
    extra = 0


class ConsortiumPeopleFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        # A consortium's people work under its PCT; set it here so the inline need not ask.
        form = super()._construct_form(i, **kwargs)
        form.instance.commissioner_id = self.instance.commissioner_id
        return form


class PersonInline(AdministeredByRole, admin.StackedInline):
    model = Person
    formset = ConsortiumPeopleFormSet
    fields = ("name",)
    extra = 0
    show_change_link = True
    verbose_name_plural = "people (open one to give them roles)"


@admin.register(Consortium)
class ConsortiumAdmin(SlugFixedOnceAdded, AdministeredByRole, admin.ModelAdmin):
    list_display = ("name", "legal_name", "commissioner", "declared_population")
    list_filter = ("commissioner",)
    list_select_related = ("commissioner",)
    search_fields = ("name", "legal_name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (PracticeInline, PersonInline)
    change_form_template = "admin/consortia/consortium/change_form.html"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/import-practices/",
                self.admin_site.admin_view(self.import_practices_view),
                name="consortia_consortium_import_practices",
            ),
            *super().get_urls(),
        ]

    def import_practices_view(self, request, object_id):
        consortium = self.get_object(request, unquote(object_id))
        if consortium is None:
            raise Http404
        if not self.has_change_permission(request, consortium):
            raise PermissionDenied
        form = PracticeImportForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            try:
                practices = services.practices_import_csv(
                    consortium=consortium, raw=form.cleaned_data["file"]
                )
            except services.PracticeImportError as error:
                problems = error.problems
            else:
                summary = f"Imported {len(practices)} practices from a CSV file."
                self.log_change(request, consortium, summary)
                self.message_user(request, summary, messages.SUCCESS)
                return redirect("admin:consortia_consortium_change", consortium.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Import practices into {consortium}",
            "opts": self.opts,
            "original": consortium,
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(
            request, "admin/consortia/consortium/import_practices.html", context
        )


@admin.register(Practice)
class PracticeAdmin(AdministeredByRole, admin.ModelAdmin):
    form = PracticeForm
    fields = ("consortium", "name", "code", "list_size", "lead", "sites", "is_demo", "position")
    list_display = ("name", "code", "consortium", "list_size", "lead")
    list_filter = ("consortium__commissioner", "consortium")
    list_select_related = ("consortium", "lead")
    search_fields = ("name", "code")


class PersonRoleInline(AdministeredByRole, admin.StackedInline):
    model = PersonRole
    fields = ("kind", "detail", "position")
    extra = 1


@admin.register(Person)
class PersonAdmin(AdministeredByRole, admin.ModelAdmin):
    list_display = ("name", "commissioner", "consortium")
    list_filter = ("commissioner", "consortium")
    list_select_related = ("commissioner", "consortium")
    search_fields = ("name",)
    inlines = (PersonRoleInline,)


@admin.register(User)
class UserAdmin(AdministeredByRole, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserAddForm
    fieldsets = (
        (None, {"fields": ("email", "password", "full_name")}),
        ("Access", {"fields": ("role", "commissioner", "consortium", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "commissioner",
                    "consortium",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "full_name", "role", "commissioner", "consortium", "is_active")
    list_filter = ("role", "is_active", "commissioner")
    list_select_related = ("commissioner", "consortium")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    filter_horizontal = ()

    def save_model(self, request, obj, form, change):
        # The "active" tick is a leaver going or coming back: the services end or restore their
        # access and record it (docs/decisions/0452, 0485), as the organisation's pages do. The
        # rest of the form is saved first, with the tick as it was.
        ticked = change and "is_active" in form.changed_data
        if ticked:
            obj.is_active = not obj.is_active
        super().save_model(request, obj, form, change)
        if not ticked:
            return
        leaving, address = obj.is_active, request.META.get("REMOTE_ADDR")
        try:
            if leaving:
                for outcome in services.user_deactivate(
                    actor=request.user, person=obj, client_address=address
                ):
                    messages.warning(request, outcome.sentence)
            else:
                services.user_reactivate(
                    actor=request.user,
                    person=obj,
                    client_address=address,
                    link_for=presenters.password_link_for(request),
                )
                messages.warning(request, presenters.reactivated_text(obj))
        except services.PeopleRefused as refusal:
            state = "active" if leaving else "not active"
            messages.error(request, f"{obj} was saved but is still {state}: {refusal}")


class ReadOnlyRecord(AdministeredByRole):
    """Shown to the site administrator, changed only by the services that make them (people's
    records here; a plan's audit chain, signatures and documents in plans and signoff)."""

    def has_add_permission(self, request, obj=None):
        return False

    has_change_permission = has_delete_permission = has_add_permission


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyRecord, admin.ModelAdmin):
    list_display = ("email", "full_name", "role", "commissioner", "consortium", "sent_at")
    list_filter = ("role", "commissioner")
    list_select_related = ("commissioner", "consortium")
    search_fields = ("email", "full_name")
    exclude = ("nonce",)


@admin.register(PeopleEvent)
class PeopleEventAdmin(ReadOnlyRecord, admin.ModelAdmin):
    list_display = ("at", "action", "actor", "subject", "commissioner", "consortium")
    list_filter = ("action", "commissioner")
    list_select_related = ("actor", "subject", "commissioner", "consortium")
    search_fields = ("detail",)


class AppointmentInline(ReadOnlyRecord, admin.TabularInline):
    """Who has held the position: read here, changed only through "Assign a holder" above,
    which ends the holder before on the new holder's first day."""

    model = Appointment
    fields = ("user", "started_on", "ended_on")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Position)
class PositionAdmin(AdministeredByRole, admin.ModelAdmin):
    form = PositionForm
    fieldsets = (
        (None, {"fields": ("commissioner", "consortium", "body", "name")}),
        ("Assign a holder", {"fields": ("new_holder", "holder_from")}),
    )
    list_display = ("name", "body", "commissioner", "consortium")
    list_filter = ("commissioner", "consortium")
    list_select_related = ("commissioner", "consortium")
    search_fields = ("name", "body")
    inlines = (AppointmentInline,)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        holder = form.cleaned_data.get("new_holder")
        if holder is None:
            return
        started_on = form.cleaned_data["holder_from"]
        try:
            appointment = services.position_assign(position=obj, user=holder, started_on=started_on)
        except services.PositionRefused as refusal:
            messages.error(request, f"{obj.label} was saved, but not its new holder: {refusal}")
        else:
            services.position_handed_over(
                actor=request.user,
                appointment=appointment,
                client_address=request.META.get("REMOTE_ADDR"),
            )
            when = long_date(started_on)
            messages.success(request, f"{holder} holds {obj.label} from {when}.")


class RecoveryCodeInline(StaticTokenInline):
    # Stacked, as our own inlines are (see PracticeInline): django_otp's tabular rows leave the
    # code and delete box without a label (axe: label).
    template = admin.StackedInline.template


admin.site.unregister(StaticDevice)


@admin.register(StaticDevice)
class RecoveryCodesAdmin(StaticDeviceAdmin):
    """django_otp's admin for a person's recovery codes, its codes' inline stacked."""

    inlines = (RecoveryCodeInline,)
