from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from wenku.accounts.models import User


@admin.register(User)
class WenkuUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "email", "is_staff", "date_joined")
    search_fields = ("username", "display_name", "email")
    fieldsets = (*UserAdmin.fieldsets, ("文库", {"fields": ("display_name", "bio")}))
