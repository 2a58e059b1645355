"""The SDK's test kit: checks a plugin author runs in their own test suite.

It never imports the host; what needs a running portal is found through the
host's documented entry points at test time (``gateway.host``: ``create_app``,
``upgrade_database``, ``sign_in_test_client`` and ``test_kit``, whose contract
is :class:`bawaba_sdk.testing.host_kit.HostTestKit`).

- ``fixtures``: the pytest fixtures ``make_portal`` (a real portal with your
  plugin), ``sign_in_as`` (a signed-in citizen) and ``sign_in_staff``.
- ``staff``: ``sign_in_staff`` (a back-office client with a role in a program).
- ``forms``: ``FormWalk`` and ``submit_form`` (fill steps, see errors, check, send).
- ``applications``: ``application``, ``move_application`` (through the
  workflow), ``move_as_staff`` (through the back office).
- ``payments``: ``bills``, ``pay_bill``, ``pay_application`` (the sandbox's "Pay now").
- ``outbox``: ``latest_code``, ``latest_message``, ``messages_to``.
- ``jobs``: ``run_job`` (a periodic job by name), ``job_names``, ``run_pending_tasks``.
- ``registry``: ``changed_registry`` (records changed after registration, outages).
- ``demo``: ``load_demo_data`` (what ``gateway demo load`` does, with its report).
- ``calculations``: ``explain`` and ``calculation_answer``.
- ``pages``: fetch a program's page in a language and check what it shows
  (``ProgramPage``, ``fetch``, ``service_item``, ``unlinked_service_problems``).
- ``catalogues``: ``catalogue_problems``, a ``.po`` against the code and its ``.mo``.
- ``catalogue_files``: what ``catalogue_problems`` leaves out (a current
  ``.pot``, blank translations, every plural form compiled) and
  ``CatalogueFiles.of_plugin`` for the conventional layout.

Import from the submodules (``from bawaba_sdk.testing.forms import FormWalk``):
this package imports none of them, so importing it never needs pytest or a host.
"""

__all__ = [
    "applications",
    "calculations",
    "catalogue_files",
    "catalogues",
    "demo",
    "extraction",
    "fixtures",
    "forms",
    "host_kit",
    "jobs",
    "outbox",
    "pages",
    "payments",
    "registry",
    "staff",
]
