"""The seminar's page for organisers: registrations at a glance, access and dietary needs
for planning, a sign-in sheet and name badges to print, the registrations' CSV and a run
sheet for the day."""
