/* Click-to-load embeds (YouTube, Scratch, p5.js, CodePen; see docs/content.md).
 *
 * The page carries a plain link to the video or project; nothing is fetched
 * from the other site until the viewer clicks it. Then this script puts the
 * player (an iframe on the provider's embed address, for YouTube the
 * privacy-enhanced youtube-nocookie.com) in the link's place. Without
 * JavaScript the link simply opens the original page. Ctrl/Cmd/Shift-click
 * still opens the original page in a new tab or window. Before the click, a
 * project page's embeds show the project's own picture behind the play button
 * (the page's <template id="embed-poster">, a picture published with the site).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var note = (script && script.getAttribute("data-note")) || "Loads from {host} when you click";
  var allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";

  function load(box, link) {
    var frame = document.createElement("iframe");
    var title = box.querySelector(".embed-title");
    frame.src = box.getAttribute("data-embed");
    frame.title = title ? title.textContent : link.textContent;
    frame.setAttribute("allow", allow);
    frame.setAttribute("allowfullscreen", "");
    box.textContent = "";
    box.appendChild(frame);
    box.classList.remove("with-poster");
    box.classList.add("embed-loaded");
    frame.focus();
  }

  var poster = document.getElementById("embed-poster");
  var boxes = document.querySelectorAll(".embed[data-embed]");
  Array.prototype.forEach.call(boxes, function (box) {
    var link = box.querySelector("a.embed-link");
    if (!link) return;
    var hint = document.createElement("span");
    hint.className = "embed-note";
    hint.textContent = note.replace("{host}", box.getAttribute("data-embed-host") || "");
    box.appendChild(hint);
    if (poster && poster.content && poster.content.firstElementChild) {
      var picture = poster.content.firstElementChild.cloneNode(true);
      picture.classList.add("embed-poster");
      box.insertBefore(picture, box.firstChild);
      box.classList.add("with-poster");
    }
    link.setAttribute("role", "button");
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      load(box, link);
    });
    link.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        load(box, link);
      }
    });
  });
})();
