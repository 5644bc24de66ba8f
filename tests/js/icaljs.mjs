// Parse iCalendar files with Mozilla's ical.js (Thunderbird's parser) and print JSON:
// per file the calendar's name and time zones and, per VEVENT, its fields and the local
// start times of its occurrences before UNTIL_DAY.
// Usage: node tests/js/icaljs.mjs UNTIL_DAY FILE... (UNTIL_DAY e.g. 2027-12-02)
// No time zones are registered by hand: ical.js must find the feed's own VTIMEZONE,
// or timed events come out floating (tzid "floating"), which the tests catch.
import fs from "node:fs";
import ICAL from "ical.js";

const [untilDay, ...files] = process.argv.slice(2);
const value = (component, name) => component.getFirstPropertyValue(name);

function readEvent(vevent) {
  const event = new ICAL.Event(vevent);
  const occurrences = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && next.toString() < untilDay; next = iterator.next()) {
    occurrences.push(next.toString());
    if (occurrences.length > 2000) throw new Error(`runaway rule in ${event.uid}`);
  }
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    location: event.location,
    sequence: event.sequence,
    status: value(vevent, "status"),
    categories: vevent.getAllProperties("categories").flatMap((p) => p.getValues()),
    tzid: event.startDate.zone.tzid,
    allDay: event.startDate.isDate,
    start: event.startDate.toString(),
    end: event.endDate.toString(),
    startUtc: event.startDate.isDate ? null : event.startDate.toJSDate().toISOString(),
    occurrences,
  };
}

const result = {};
for (const file of files) {
  const root = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
  result[file] = {
    name: value(root, "x-wr-calname"),
    description: value(root, "x-wr-caldesc"),
    timezones: root.getAllSubcomponents("vtimezone").map((tz) => value(tz, "tzid")),
    events: root.getAllSubcomponents("vevent").map(readEvent),
  };
}
console.log(JSON.stringify(result));
