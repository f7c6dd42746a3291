from django.contrib import admin

from .models import Succession, Unit


class SuccessionInline(admin.TabularInline):
    model = Succession
    fk_name = "predecessor"
    autocomplete_fields = ["successor"]
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "level", "valid_to"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["level", "province", "path"]
    inlines = [SuccessionInline]
    list_select_related = ["parent"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        from .services import rebuild_tree

        rebuild_tree()
