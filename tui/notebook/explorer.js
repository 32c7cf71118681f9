// The notebook explorer's browser side: it draws what the traits hold and sends each click
// or key to Python as a message ({do: "next"} ...). No arithmetic here: the Timeline in
// tui/notebook/timeline.py decides everything shown.

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render({ model, el }) {
  const send = (message) => model.send(message);
  const root = element("div", "mg-explorer");
  root.tabIndex = 0; // focusable: space and backspace step while it has focus
  const heading = element("div", "mg-heading");
  const title = element("span", "mg-title");
  const where = element("span", "mg-where");
  heading.append(title, where);

  const controls = element("div", "mg-controls");
  const buttons = {};
  for (const [name, label, tip] of [
    ["start", "|◀ Start", "back to the start"],
    ["back", "◀ Back", "undo the last step (backspace)"],
    ["next", "Next ▶", "take the next step (space)"],
    ["backward", "Backward", "to the first backward step: the output's grad seeded with 1"],
    ["end", "End ▶|", "to the end of the timeline"],
    ["play", "▶ Play", "take a step after another"],
  ]) {
    const button = element("button", `mg-${name}`, label);
    button.title = tip;
    button.dataset.do = name;
    button.addEventListener("click", () => send({ do: name }));
    buttons[name] = button;
    controls.append(button);
  }
  const slider = element("input", "mg-slider");
  slider.type = "range";
  slider.min = "0";
  slider.title = "jump to a step";
  slider.addEventListener("change", () => send({ do: "jump", step: slider.value }));
  const box = element("input", "mg-step-box");
  box.type = "text";
  box.size = 5;
  box.title = "type a step and press enter";
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter") send({ do: "jump", step: box.value.trim() });
    event.stopPropagation(); // typing a step is not stepping
  });
  controls.append(slider, element("span", "mg-label", "step"), box);

  const message = element("div", "mg-message");
  const picture = element("div", "mg-picture");
  picture.title = "click a box for its details";
  picture.addEventListener("click", (event) => {
    const group = event.target.closest("[data-node]");
    if (group) send({ do: "select", node: Number(group.dataset.node) });
  });
  const caption = element("div", "mg-caption");

  const columns = element("div", "mg-columns");
  const log = element("div", "mg-log");
  const side = element("div", "mg-side");
  const details = element("pre", "mg-details");
  const nudging = element("div", "mg-nudge");
  const hChoice = element("select", "mg-h");
  hChoice.title = "the nudge size h";
  hChoice.addEventListener("change", () => send({ do: "h", value: hChoice.value }));
  const up = element("button", "mg-nudge-up", "▲ +h");
  up.title = "nudge the selected leaf up by h (arrow up)";
  up.addEventListener("click", () => send({ do: "nudge", direction: 1 }));
  const down = element("button", "mg-nudge-down", "▼ −h");
  down.title = "nudge the selected leaf down by h (arrow down)";
  down.addEventListener("click", () => send({ do: "nudge", direction: -1 }));
  nudging.append(element("span", "mg-label", "nudge h ="), hChoice, up, down);
  side.append(details, nudging);
  columns.append(log, side);
  root.append(heading, controls, message, picture, caption, columns);
  el.append(root);

  root.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select")) return;
    const keys = { " ": ["next"], Backspace: ["back"], ArrowUp: ["nudge", 1],
                   ArrowDown: ["nudge", -1] };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    send(action.length > 1 ? { do: action[0], direction: action[1] } : { do: action[0] });
  });

  let timer = null;
  const playOn = () => {
    clearTimeout(timer);
    if (model.get("playing")) timer = setTimeout(() => send({ do: "next" }), model.get("interval"));
  };

  let shownSvg = null;
  // The step's node in view: the picture (not the page) scrolls, only when it is out of it.
  const scrollToStep = () => {
    const node = picture.querySelector('[data-mark="step"]');
    if (!node) return;
    const box = node.getBoundingClientRect();
    const view = picture.getBoundingClientRect();
    if (box.left < view.left || box.right > view.right) {
      picture.scrollLeft += box.left - view.left - (view.width - box.width) / 2;
    }
    if (box.top < view.top || box.bottom > view.bottom) {
      picture.scrollTop += box.top - view.top - (view.height - box.height) / 2;
    }
  };

  const show = () => {
    title.textContent = model.get("title");
    where.textContent = model.get("where");
    const position = model.get("position");
    const total = model.get("total");
    slider.max = String(total);
    slider.value = String(position);
    if (document.activeElement !== box) box.value = String(position);
    buttons.back.disabled = buttons.start.disabled = position === 0;
    buttons.next.disabled = buttons.end.disabled = position === total;
    buttons.play.textContent = model.get("playing") ? "⏸ Pause" : "▶ Play";
    message.textContent = model.get("message");
    const svg = model.get("svg");
    if (svg !== shownSvg) {
      picture.innerHTML = svg; // our own drawing: every label is XML-escaped
      shownSvg = svg;
      scrollToStep();
    }
    for (const group of picture.querySelectorAll(".mg-selected")) {
      group.classList.remove("mg-selected");
    }
    picture.querySelector(`[data-node="${model.get("selected")}"]`)?.classList.add("mg-selected");
    caption.textContent = model.get("caption");
    const entries = model.get("log");
    log.replaceChildren(...entries.map((text, k) =>
      element("pre", k === entries.length - 1 && position > 0 ? "mg-entry mg-current" : "mg-entry", text)));
    log.scrollTop = log.scrollHeight;
    details.textContent = model.get("details") || "Click a box in the picture: its details show here.";
    const h = model.get("h");
    const choices = [...new Set([...model.get("h_choices"), h])].sort((a, b) => a - b);
    hChoice.replaceChildren(...choices.map((value) => {
      const option = element("option", "", String(value));
      option.value = String(value);
      option.selected = value === h;
      return option;
    }));
    const leaf = model.get("selected") >= 0;
    up.disabled = down.disabled = !leaf;
  };
  show();
  // One repaint for all the traits a click changed (they arrive as one update, each with a
  // change:<name> event; a plain "change" event is not in every host's model).
  let pending = false;
  const showSoon = () => {
    if (pending) return;
    pending = true;
    queueMicrotask(() => { pending = false; show(); });
  };
  for (const name of ["title", "where", "position", "total", "playing", "message", "svg",
                      "caption", "log", "details", "h", "h_choices", "selected"]) {
    model.on(`change:${name}`, showSoon);
  }
  model.on("change:playing", playOn);
  model.on("change:position", playOn);
  return () => clearTimeout(timer);
}

export default { render };
