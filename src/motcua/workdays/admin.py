from django.contrib import admin

from .models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "legal_basis"]
    list_filter = ["kind"]
    search_fields = ["name", "legal_basis"]
    date_hierarchy = "date"
