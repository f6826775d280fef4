// On a phone the main menu is one row that scrolls sideways (kaart.css). Browsers scroll a link
// that gets keyboard focus only until part of it shows; bring it wholly into view.
document.querySelector(".site-nav ul")?.addEventListener("focusin", (event) => {
  event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
});

// The arrow at the right edge says the menu goes on; it goes once the menu is scrolled to its end.
const navList = document.querySelector(".site-nav ul");
if (navList) {
  const mark = () => navList.parentElement.classList.toggle(
    "nav-at-end", navList.scrollLeft + navList.clientWidth >= navList.scrollWidth - 2);
  navList.addEventListener("scroll", mark, { passive: true });
  window.addEventListener("resize", mark);
  mark();
}
