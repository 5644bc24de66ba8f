// Parse iCalendar files with node-ical and print JSON: per file and VEVENT its uid,
// summary, location, whether it is all-day, its start (UTC) and its instances in [FROM, TO).
// Usage: node tests/js/nodeical.mjs FROM TO FILE... (FROM/TO ISO dates)
import ical from "node-ical";

const [from, to, ...files] = process.argv.slice(2);
const result = {};
for (const file of files) {
  const parsed = ical.sync.parseFile(file);
  result[file] = Object.values(parsed).filter((item) => item.type === "VEVENT").map((event) => ({
    uid: event.uid,
    summary: String(event.summary),
    location: String(event.location),
    dateOnly: Boolean(event.start.dateOnly),
    tz: event.start.tz ?? null,
    start: event.start.toISOString(),
    instances: ical.expandRecurringEvent(event, { from: new Date(from), to: new Date(to) })
      .map((instance) => instance.start.toISOString()),
  }));
}
console.log(JSON.stringify(result));
