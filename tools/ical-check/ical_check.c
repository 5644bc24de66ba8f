/* ical_check: read iCalendar files with libical (Debian's libical3) and report, as JSON,
 * what a libical-based client (Evolution, KDE's KCalendarCore via libical users, CalDAV
 * servers) would make of them:
 *
 *   - every X-LIC-ERROR libical's parser attached (a property or value it could not read),
 *   - the result of icalrestriction_check() (RFC 5545 / RFC 5546 restrictions), with the
 *     X-LIC-ERRORs it adds,
 *   - per VEVENT its UID, STATUS, DTSTART (value, TZID, date or date-time) and the start
 *     of every occurrence libical expands (RRULE, RDATE, EXDATE) in [FROM, TO), as UTC
 *     instants (timed) or dates (all-day).
 *
 * Generic on purpose: it knows nothing of this site, so any feed can be checked with it.
 * Usage: ical_check FROM TO FILE...   (FROM, TO as YYYYMMDD)
 * Exit status: 0 when every file parsed with no X-LIC-ERROR and passed the restrictions,
 * 1 otherwise, 2 on bad usage or an unreadable file.
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void json_string(const char *s) {
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p == '\n') fputs("\\n", stdout);
        else if (*p == '\r') fputs("\\r", stdout);
        else if (*p == '\t') fputs("\\t", stdout);
        else if (*p < 0x20) printf("\\u%04x", *p);
        else putchar(*p);
    }
    putchar('"');
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *text = malloc((size_t)size + 1);
    if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) { fclose(f); free(text); return NULL; }
    text[size] = '\0';
    fclose(f);
    return text;
}

/* Every X-LIC-ERROR in the component tree, as JSON strings; returns how many. */
static int print_errors(icalcomponent *comp, int count) {
    for (icalproperty *p = icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(comp, ICAL_XLICERROR_PROPERTY)) {
        if (count++) putchar(',');
        char where[160];
        snprintf(where, sizeof where, "%s: ", icalcomponent_kind_to_string(icalcomponent_isa(comp)));
        char *message = malloc(strlen(where) + strlen(icalproperty_get_xlicerror(p)) + 1);
        strcpy(message, where);
        strcat(message, icalproperty_get_xlicerror(p));
        json_string(message);
        free(message);
    }
    for (icalcomponent *c = icalcomponent_get_first_component(comp, ICAL_ANY_COMPONENT); c;
         c = icalcomponent_get_next_component(comp, ICAL_ANY_COMPONENT))
        count = print_errors(c, count);
    return count;
}

struct occurrences { int count; int all_day; };

static void print_occurrence(icalcomponent *comp, struct icaltime_span *span, void *data) {
    (void)comp;
    struct occurrences *seen = data;
    char text[32];
    time_t start = span->start;
    struct tm utc;
    gmtime_r(&start, &utc);
    strftime(text, sizeof text, seen->all_day ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ", &utc);
    if (seen->count++) putchar(',');
    json_string(text);
}

static void print_event(icalcomponent *event, struct icaltimetype from, struct icaltimetype to, int first) {
    if (!first) putchar(',');
    struct icaltimetype start = icalcomponent_get_dtstart(event);
    icalproperty *dtstart = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
    icalparameter *tzid = dtstart ? icalproperty_get_first_parameter(dtstart, ICAL_TZID_PARAMETER) : NULL;
    icalproperty *status = icalcomponent_get_first_property(event, ICAL_STATUS_PROPERTY);
    fputs("{\"uid\":", stdout);
    json_string(icalcomponent_get_uid(event));
    fputs(",\"status\":", stdout);
    json_string(status ? icalproperty_get_value_as_string(status) : "");
    fputs(",\"dtstart\":", stdout);
    json_string(icaltime_as_ical_string(start));
    fputs(",\"tzid\":", stdout);
    json_string(tzid ? icalparameter_get_tzid(tzid) : "");
    printf(",\"zone_resolved\":%s", (start.is_date || icaltime_get_timezone(start)) ? "true" : "false");
    printf(",\"all_day\":%s,\"occurrences\":[", start.is_date ? "true" : "false");
    struct occurrences seen = {0, start.is_date};
    icalcomponent_foreach_recurrence(event, from, to, print_occurrence, &seen);
    fputs("]}", stdout);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s FROM TO FILE...  (FROM, TO as YYYYMMDD)\n", argv[0]);
        return 2;
    }
    struct icaltimetype from = icaltime_from_string(argv[1]);
    struct icaltimetype to = icaltime_from_string(argv[2]);
    if (icaltime_is_null_time(from) || icaltime_is_null_time(to)) {
        fprintf(stderr, "FROM and TO must be dates such as 20261201\n");
        return 2;
    }
    int bad = 0;
    putchar('{');
    for (int i = 3; i < argc; i++) {
        char *text = read_file(argv[i]);
        if (!text) { fprintf(stderr, "%s: cannot read\n", argv[i]); return 2; }
        icalcomponent *root = icalparser_parse_string(text);
        free(text);
        if (i > 3) putchar(',');
        json_string(argv[i]);
        fputs(":{\"parser_errors\":[", stdout);
        int errors = root ? print_errors(root, 0) : 0;
        fputs("],\"restriction_ok\":", stdout);
        int restricted = root ? icalrestriction_check(root) : 0;
        fputs(restricted ? "true" : "false", stdout);
        fputs(",\"errors\":[", stdout);
        int all_errors = root ? print_errors(root, 0) : 0;
        fputs("],\"events\":[", stdout);
        if (!root) {
            bad = 1;
        } else {
            int first = 1;
            for (icalcomponent *e = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT); e;
                 e = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT)) {
                print_event(e, from, to, first);
                first = 0;
            }
            icalcomponent_free(root);
        }
        fputs("]}", stdout);
        if (errors || all_errors || !restricted) bad = 1;
    }
    puts("}");
    return bad;
}
