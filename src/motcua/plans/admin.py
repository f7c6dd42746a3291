from django.contrib import admin

from .models import Plan, RatingRule, ReformArea


@admin.register(ReformArea)
class ReformAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(RatingRule)
class RatingRuleAdmin(admin.ModelAdmin):
    list_display = ["year", "on_time_weight", "late_weight", "fix_penalty"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "year", "number"]
    list_filter = ["year"]
    search_fields = ["title", "number"]
