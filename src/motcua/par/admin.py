from django.contrib import admin

from .models import Assignment, Criterion, Framework, FrameworkUnit, GroupBand


class GroupBandInline(admin.TabularInline):
    model = GroupBand
    extra = 0


class FrameworkUnitInline(admin.TabularInline):
    model = FrameworkUnit
    autocomplete_fields = ["unit"]
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "year", "stage", "decision"]
    list_filter = ["stage", "year"]
    search_fields = ["code", "name"]
    readonly_fields = ["stage", "decision", "published_at", "published_by"]
    inlines = [GroupBandInline, FrameworkUnitInline]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    autocomplete_fields = ["unit"]
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "framework", "max_points", "source"]
    list_filter = ["framework", "source"]
    search_fields = ["code", "title"]
    exclude = ["tasks"]  # linked from the task form of the plans pages
    inlines = [AssignmentInline]
