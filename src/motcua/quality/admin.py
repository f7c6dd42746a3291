from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Indicator, IndicatorSet
from .services import copy_indicator_set


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["code", "group", "name", "measure", "target", "max_points", "assumed"]


@admin.register(IndicatorSet)
class IndicatorSetAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "basis"]
    inlines = [IndicatorInline]
    actions = ["copy_to_next_year"]

    @admin.action(description=_("Copy to the following year"))
    def copy_to_next_year(self, request, queryset):
        with transaction.atomic():
            for chosen in queryset:
                copied = copy_indicator_set(chosen, chosen.year + 1)
                messages.success(request, _("Copied to %(year)s.") % {"year": copied.year})
