// <canal-events area="langfang" limit="5" lang="zh" theme="light"> for other sites.
// Load with <script type="module" src="https://…/static/embed.js">; put a link to the
// same list on our site inside the element: it shows while loading and when scripts are
// blocked, then stays as the "more" link. No dependencies; content goes in with
// textContent only; styles come from embed.css (a file, so a strict style-src allows it).
const here = import.meta.url;
const site = new URL("../", here);
const WORDS = {
  zh: ["已取消", "暂时没有即将举行的活动。", "活动列表暂时无法载入。", "更多活动"],
  en: ["Cancelled", "No upcoming events here yet.", "The events could not be loaded just now.", "More events"],
};
const THEMES = ["light", "dark", "compact"];
const FILTERS = ["area", "site", "category"];

const make = (tag, name, text) => {
  const node = document.createElement(tag);
  if (name) node.className = name;
  if (text != null) node.textContent = text;
  return node;
};

const when = (o, locale, zone) => {
  const options = { year: "numeric", month: "long", day: "numeric", weekday: "short", timeZone: o.all_day ? "UTC" : zone };
  if (!o.all_day) Object.assign(options, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const moment = (text) => new Date(o.all_day ? text + "T00:00:00Z" : text);
  const format = new Intl.DateTimeFormat(locale, options);
  return format.formatRange ? format.formatRange(moment(o.start), moment(o.end)) : format.format(moment(o.start));
};

class CanalEvents extends HTMLElement {
  static get observedAttributes() { return [...FILTERS, "limit", "lang", "theme"]; }

  connectedCallback() { this.render(); }

  attributeChangedCallback() { if (this.shadowRoot) this.render(); }

  async render() {
    const lang = this.getAttribute("lang") === "en" ? "en" : "zh";
    const words = WORDS[lang];
    const limit = Math.min(50, Math.max(1, parseInt(this.getAttribute("limit"), 10) || 5));
    const theme = this.getAttribute("theme");
    const chosen = {};
    const query = new URLSearchParams();
    for (const name of FILTERS) {
      chosen[name] = (this.getAttribute(name) || "").split(/[\s,]+/).filter(Boolean);
      for (const value of chosen[name]) query.append(name, value);
    }
    const prefix = lang === "en" ? "en/" : "";
    const shadow = this.shadowRoot || this.attachShadow({ mode: "open" });
    const sheet = make("link");
    sheet.rel = "stylesheet";
    sheet.href = new URL("embed.css", here);
    const box = make("div", "canal theme-" + (THEMES.includes(theme) ? theme : THEMES[0]));
    box.setAttribute("part", "list");
    const more = make("p", "canal-more");
    if (this.querySelector("a[href]")) {
      more.append(make("slot"));
    } else {
      const link = make("a", "", words[3]);
      link.href = new URL(prefix + "events/?" + query, site);
      more.append(link);
    }
    box.append(more);
    shadow.replaceChildren(sheet, box);
    const token = (this.token = {});
    let data;
    try {
      // A static export ignores the query and answers every date: filter here as well.
      const response = await fetch(new URL(prefix + "api/events.json?" + query, site));
      if (!response.ok) throw new Error(response.status);
      data = await response.json();
    } catch (error) {
      if (token === this.token) box.prepend(make("p", "canal-empty", words[2]));
      return;
    }
    if (token !== this.token) return;
    const match = (o) => (!chosen.area.length || chosen.area.includes(o.area.id))
      && (!chosen.site.length || chosen.site.includes(o.site.id))
      && (!chosen.category.length || o.categories.some((c) => chosen.category.includes(c.id)));
    const found = data.occurrences.filter(match).slice(0, limit);
    if (!found.length) {
      box.prepend(make("p", "canal-empty", words[1]));
      return;
    }
    const locale = lang === "en" ? "en" : "zh-CN";
    const list = make("ul", "canal-list");
    for (const o of found) {
      const item = make("li", "canal-item" + (o.status === "cancelled" ? " canal-cancelled" : ""));
      const title = make("a", "canal-title", o.title);
      title.href = new URL(prefix + "events/" + encodeURIComponent(o.event) + "/", site);
      item.append(title);
      if (o.status === "cancelled") item.append(" ", make("strong", "canal-badge", words[0]));
      item.append(make("span", "canal-when", when(o, locale, data.timezone)),
        make("span", "canal-where", o.site.name + " · " + o.area.name));
      list.append(item);
    }
    box.prepend(list);
  }
}

if (!customElements.get("canal-events")) customElements.define("canal-events", CanalEvents);
