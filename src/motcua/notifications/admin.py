from django.contrib import admin

from .models import Delivery, Preference, Template


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ("event", "channel", "language", "subject")
    list_filter = ("event", "channel", "language")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read, never written by hand (a failed row is retried by ``motcua notify``)."""

    list_display = ("created_at", "event", "channel", "recipient", "status", "attempts", "sent_at")
    list_filter = ("status", "event", "channel")
    search_fields = ("recipient", "dossier__code", "feedback_code")
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "sms", "email", "language")
    raw_id_fields = ("user",)
