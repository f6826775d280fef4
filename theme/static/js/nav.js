// On a phone the main menu is one row that scrolls sideways (kaart.css). Browsers scroll a link
// that gets keyboard focus only until part of it shows; bring it wholly into view.
document.querySelector(".site-nav ul")?.addEventListener("focusin", (event) => {
  event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
});
