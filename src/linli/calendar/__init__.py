"""Community calendar: the 24 solar terms and public holidays (from sxtwl and chinese-calendar) with suggested
activities, and events leaders and operators add."""
