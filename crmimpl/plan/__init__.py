"""What the tool derives from a project: calendar, methodology (WBS), schedule, people,
costs, training sessions, economics. No formatting and no files but the baseline:
``crmimpl.plan.builder.build_plan`` is the entry point."""
