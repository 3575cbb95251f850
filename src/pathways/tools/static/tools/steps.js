// Offers an exercise's steps one at a time, with "Next step" and "Back" buttons. Only an offer: every step is
// already on the page and readable without JavaScript, and "Show all steps" puts it back that way. Nothing
// plays, counts down or moves on by itself: the person moves on when they are ready.
(function () {
  "use strict";
  var box = document.querySelector("[data-steps]");
  if (!box) { return; }
  var steps = box.querySelectorAll(".exercise-step");
  if (steps.length < 2) { return; }
  var current = 0;
  // A smooth scroll to the new step, unless the person asked their device for less motion.
  var stillness = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  var progress = document.createElement("p");
  progress.className = "exercise-progress";
  progress.setAttribute("aria-live", "polite");

  function button(label, className) {
    var made = document.createElement("button");
    made.type = "button";
    made.className = className;
    made.textContent = label;
    return made;
  }
  var back = button("Back", "button secondary");
  var next = button("Next step", "button");
  var all = button("Show all steps", "link-button");
  var controls = document.createElement("div");
  controls.className = "exercise-controls";
  controls.appendChild(back);
  controls.appendChild(next);
  controls.appendChild(all);

  function show(index) {
    current = index;
    for (var i = 0; i < steps.length; i++) {
      steps[i].classList.toggle("is-current", i === current);
    }
    progress.textContent = "Step " + (current + 1) + " of " + steps.length;
    back.disabled = current === 0;
    next.disabled = current === steps.length - 1;
    next.textContent = current === steps.length - 1 ? "That was the last step" : "Next step";
  }

  function move(index) {
    show(index);
    box.scrollIntoView({ behavior: stillness ? "auto" : "smooth", block: "nearest" });
  }

  back.addEventListener("click", function () { if (current > 0) { move(current - 1); } });
  next.addEventListener("click", function () { if (current < steps.length - 1) { move(current + 1); } });
  all.addEventListener("click", function () {
    box.classList.remove("is-stepping");
    progress.remove();
    controls.remove();
  });

  box.classList.add("is-stepping");
  box.insertBefore(progress, box.firstChild);
  box.appendChild(controls);
  show(0);
}());
