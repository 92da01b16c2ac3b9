// Times and days in the words every page writes them, as AlertWords and Nowcasts do on the server: the browser's own
// locale would write "Feb 28, 2026, 10:00 PM" beside "Sat 28 Feb 2026, 22:00". The months are named here, as Java
// names them: recent browsers' en-GB calls September "Sept".
"use strict";
const LOOKOUT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// An instant as "Sat 28 Feb 2026, 22:00" in the city's time zone.
function lookoutLocalTime(zone) {
  const parts = new Intl.DateTimeFormat("en-GB", {timeZone: zone, weekday: "short", day: "numeric",
    month: "numeric", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23"});
  return (instant) => {
    const p = {};
    for (const part of parts.formatToParts(new Date(instant))) p[part.type] = part.value;
    // Numbers, as a numeric month makes en-GB write the day with two digits.
    return `${p.weekday} ${Number(p.day)} ${LOOKOUT_MONTHS[p.month - 1]} ${p.year}, ${p.hour}:${p.minute}`;
  };
}

// A local day, YYYY-MM-DD, as "23 Feb".
function lookoutShortDay(isoDate) {
  const [, month, day] = isoDate.split("-").map(Number);
  return `${day} ${LOOKOUT_MONTHS[month - 1]}`;
}

// A local day with its year, "23 Feb 2026", as lookoutLocalTime writes the day.
function lookoutDay(isoDate) {
  return `${lookoutShortDay(isoDate)} ${isoDate.slice(0, 4)}`;
}

// The local days from first to last in a sentence, the year said once where both are in it: "5 Mar to 27 Jun 2026",
// "28 Dec 2025 to 3 Jan 2026"; one day alone, "27 Jun 2026".
function lookoutDays(first, last) {
  if (first === last) return lookoutDay(last);
  const start = first.slice(0, 4) === last.slice(0, 4) ? lookoutShortDay(first) : lookoutDay(first);
  return `${start} to ${lookoutDay(last)}`;
}
