// Reads an iCalendar file from stdin with Mozilla's ical.js (the parser Thunderbird uses) and
// prints what it understood as JSON: the calendar's properties and, per event, the UTC instant
// of its start and end. Run by tests/clients/calendar_readers.py; nothing here is served.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const calendar = new ICAL.Component(ICAL.parse(Buffer.concat(chunks).toString("utf8")));

const text = (component, name) => {
  const value = component.getFirstPropertyValue(name);
  return value === null ? null : String(value);
};
const utc = (time) => time.toJSDate().toISOString();

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  const organizer = vevent.getFirstProperty("organizer");
  return {
    uid: event.uid,
    summary: event.summary,
    location: event.location,
    description: event.description,
    start: utc(event.startDate),
    end: utc(event.endDate),
    start_zone: event.startDate.zone ? event.startDate.zone.tzid : null,
    sequence: event.sequence,
    status: text(vevent, "status"),
    organizer: organizer ? String(organizer.getFirstValue()) : null,
    organizer_name: organizer ? organizer.getParameter("cn") || null : null,
  };
});

process.stdout.write(
  JSON.stringify({
    method: text(calendar, "method"),
    name: text(calendar, "x-wr-calname"),
    refresh_interval: text(calendar, "refresh-interval"),
    published_ttl: text(calendar, "x-published-ttl"),
    timezones: calendar.getAllSubcomponents("vtimezone").map((zone) => text(zone, "tzid")),
    events,
  }),
);
