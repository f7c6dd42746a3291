from django.contrib import admin

from .models import Component, Fee, Field, Procedure, ProcessStep, ProcessTemplate, Way
from .services import search_text


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


class WayInline(admin.TabularInline):
    model = Way
    extra = 0


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "level", "duration_value", "duration_unit", "online_kind"]
    list_filter = ["level", "online_kind", "result_type", "multi_agency", "field"]
    search_fields = ["code", "name", "search_text"]
    autocomplete_fields = ["field"]
    inlines = [WayInline, ComponentInline, FeeInline]

    def save_model(self, request, obj, form, change):
        obj.search_text = search_text(obj.code, obj.name, obj.field.name)
        super().save_model(request, obj, form, change)


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    list_display = ["procedure", "version", "valid_from"]
    search_fields = ["procedure__code", "procedure__name"]
    autocomplete_fields = ["procedure"]
    inlines = [ProcessStepInline]
