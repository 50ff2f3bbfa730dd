"""``manage.py load_demo``: the Bắc Kạn 2018 demo and one user per role (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from khuyencong.demo.loader import DemoError
from khuyencong.demo.run import demo_logins, load_demo


class Command(BaseCommand):
    help = "Load the Bắc Kạn 2018 demo data and one demo user per role (safe to re-run)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summaries = load_demo()
        except DemoError as error:
            raise CommandError(str(error)) from error
        for line in summaries:
            self.stdout.write(line)
        logins = demo_logins()
        width = max(len(username) for username, _password, _role in logins)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Demo logins (username / password / role):")))
        for username, password, role in logins:
            self.stdout.write(f"  {username.ljust(width)}  {password}  {role}")
        self.stdout.write("")
