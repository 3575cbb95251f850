// Offers the device's own time zone beside the "My time zone" select on About me, as one tap.
// Only an offer: nothing is chosen or saved until the person taps it and then saves, and without
// JavaScript the select alone does the same job.
(function () {
  "use strict";
  var select = document.querySelector("select[data-offer-device-time-zone]");
  if (!select || !window.Intl || !Intl.DateTimeFormat) { return; }
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (error) { return; }
  // Only a zone the list holds can be chosen; an unknown one would be refused when saving.
  var known = Array.prototype.some.call(select.options, function (option) { return option.value === zone; });
  if (!known || select.value === zone) { return; }

  var button = document.createElement("button");
  button.type = "button";
  button.className = "link-button";
  button.textContent = "Use this device's time zone: " + zone;
  button.addEventListener("click", function () {
    select.value = zone;
    button.hidden = true;
    // Focus moves to the select, so a screen reader says what is chosen now.
    select.focus();
  });
  select.addEventListener("change", function () { button.hidden = select.value === zone; });
  select.insertAdjacentElement("afterend", button);
}());
