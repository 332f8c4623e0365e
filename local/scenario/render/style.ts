/** The report's stylesheet, inlined into the page. */
export const REPORT_CSS = `
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --blue: #1d4ed8; --amber: #d97706; --red: #dc2626;
  --violet: #7c3aed; --green: #059669; --orange: #ea580c; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f8fafc; }
header { padding: 20px 28px 12px; background: #0f172a; color: #e2e8f0; }
header h1 { margin: 0 0 4px; font-size: 22px; color: #fff; }
header p { margin: 0 0 8px; color: #cbd5e1; }
header code { color: #fde68a; }
nav a { color: #93c5fd; margin-right: 14px; text-decoration: none; }
main { padding: 16px 28px 40px; max-width: 1500px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 14px 0 6px; font-weight: 600; }
h3 code, .card code { font-size: 12px; color: var(--muted); font-weight: 400; }
.extra, .note, .legend { color: var(--muted); font-size: 12px; font-weight: 400; }
.note { margin: -2px 0 6px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--green); border-radius: 6px; padding: 10px 14px; font-size: 13px; }
.card.bad { border-left-color: var(--red); }
.cardtitle { font-weight: 700; }
.card .big { font-size: 20px; font-weight: 700; margin: 4px 0; }
.card.ok .big { color: var(--green); } .card.bad .big { color: var(--red); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 10px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 6px 6px 2px; }
figcaption { font-size: 12px; font-weight: 600; margin: 0 0 2px 4px; }
.subcaption { display: block; font-weight: 400; color: var(--muted); font-size: 11px; }
.badge { font-weight: 500; color: var(--violet); background: #ede9fe; border-radius: 8px; padding: 0 6px; margin-left: 4px; }
.empty { color: var(--muted); font-weight: 400; }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; }
.plot { fill: #fff; stroke: var(--line); }
.grid line, line.grid { stroke: #f1f5f9; }
.tick { font-size: 9px; fill: var(--muted); }
.xtick { stroke: #cbd5e1; }
.axislabel { font-size: 10px; fill: var(--muted); }
.stable { fill: #dcfce7; opacity: 0.45; }
.alert.warning { fill: #f59e0b; opacity: 0.22; }
.alert.critical { fill: #ef4444; opacity: 0.24; }
.band { fill: #3b82f6; opacity: 0.16; }
.threshold { stroke-width: 1.2; stroke-dasharray: 5 3; }
.threshold.yellow { stroke: var(--amber); } .threshold.red { stroke: var(--red); }
.line { fill: none; stroke: var(--blue); stroke-width: 1.3; stroke-linejoin: round; }
.line.companion { stroke: var(--muted); stroke-dasharray: 3 2; stroke-width: 1; }
.dot { fill: var(--blue); }
.injection { stroke: var(--violet); stroke-width: 1.5; stroke-dasharray: 3 2; }
.injectionmark { fill: var(--violet); }
.reference { stroke: #94a3b8; stroke-width: 1.2; stroke-dasharray: 4 3; }
.xyline { fill: none; stroke-width: 1.3; }
.xyline.stablebatch { stroke: #60a5fa; } .xyline.lastbatch { stroke: var(--orange); }
.point.stablebatch { fill: #60a5fa; fill-opacity: 0.8; } .point.lastbatch { fill: var(--orange); fill-opacity: 0.8; }
.errorbar { stroke-width: 1; opacity: 0.45; } .errorbar.stablebatch { stroke: #60a5fa; } .errorbar.lastbatch { stroke: var(--orange); }
.timeline { background: #fff; border: 1px solid var(--line); border-radius: 6px; }
.timeline .market { font-size: 12px; font-weight: 700; fill: var(--ink); }
.timeline .alertname { font-size: 11px; fill: #334155; font-family: ui-monospace, monospace; }
.timeline .quiet { font-size: 11px; fill: var(--green); }
.timeline .group { stroke: #cbd5e1; }
.timeline .daygrid { stroke: #f1f5f9; }
.timeline .dataend { stroke: #94a3b8; stroke-dasharray: 1 2; }
.firing.warning { fill: #f59e0b; } .firing.critical { fill: #ef4444; }
.pending { opacity: 0.3; } .pending.warning { fill: #f59e0b; } .pending.critical { fill: #ef4444; }
.timeline .visibility { font-size: 10px; fill: var(--muted); }
.lag { fill: #0ea5e9; opacity: 0.55; } .visible { stroke: #0369a1; stroke-width: 0.8; }
.current { fill: #bfdbfe; opacity: 0.7; } .windowend { fill: var(--ink); }
.key { display: inline-block; width: 14px; height: 10px; margin: 0 4px 0 12px; vertical-align: middle; border-radius: 2px; }
.stablekey { background: #dcfce7; } .warnkey { background: #f59e0b; } .critkey { background: #ef4444; }
.pendkey { background: #fca5a5; opacity: 0.6; } .injkey { border-left: 2px dashed var(--violet); width: 2px; }
.lagkey { background: #0ea5e9; opacity: 0.55; border-right: 2px solid #0369a1; } .currentkey { background: #bfdbfe; }
.stablebatchkey { background: #60a5fa; } .lastbatchkey { background: var(--orange); }
.point.excludedcampaign { fill: none; stroke: #dc2626; stroke-width: 1.5; } .errorbar.excludedcampaign { stroke: #dc2626; }
.excludedcampaignkey { background: #dc2626; }
table.ranked { border-collapse: collapse; background: #fff; border: 1px solid var(--line); font-size: 12px; margin: 4px 0 10px; }
table.ranked th, table.ranked td { padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.ranked th { color: var(--muted); font-weight: 600; }
table.ranked tr.flagged td { background: #fef2f2; }
table.ranked td.reasons { color: #334155; max-width: 420px; }
.flag { border-radius: 8px; padding: 0 6px; font-weight: 600; white-space: nowrap; }
.flag.broken { color: #991b1b; background: #fee2e2; } .flag.drifting { color: #92400e; background: #fef3c7; }
ul.quietmarkets { margin: 4px 0; color: #334155; }
#notes li { margin-bottom: 4px; color: #334155; }
`;
