from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing: prices, monthly statements, spend limits"

    def ready(self):
        from projects import contributions
        from projects.customers import BILL, is_customer_login, may_see

        from . import flags, receivers  # noqa: F401 - spend limits hear about new usage

        contributions.add_section(
            contributions.Section(
                "Billing",
                "billing",
                order=40,
                customers_see="bill",  # a subproject's bill: its customer's if the ASP says
                current_for=("billing", "billing_month", "spend_limit"),
            )
        )
        contributions.add_row_flag(
            contributions.RowFlag("limit_flag", flags.with_limit_flag, flags.badge)
        )
        contributions.add_detail_part("overview", "billing/includes/billed_through.html")
        # Billing is for those who see the top-level project, and a subproject's own bill
        # for its customer too if the ASP shows it (projects.customers).
        contributions.add_page_section(
            contributions.PageSection(
                "billing",
                "Billing",
                "billing/includes/billing_section.html",
                30,
                shown=lambda project: may_see(project, BILL, customer=is_customer_login(project)),
            )
        )
