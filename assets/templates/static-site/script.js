"use strict";

(function () {
  var root = document.documentElement;

  /* ---------- Theme toggle ---------- */
  var themeToggle = document.querySelector(".theme-toggle");

  function currentTheme() {
    return root.getAttribute("data-theme") === "dark" ? "dark" : "light";
  }

  function applyTheme(theme, persist) {
    root.setAttribute("data-theme", theme);
    if (themeToggle) {
      themeToggle.setAttribute(
        "aria-label",
        theme === "dark" ? "Switch to light theme" : "Switch to dark theme"
      );
    }
    if (persist) {
      try {
        localStorage.setItem("theme", theme);
      } catch (e) {
        /* storage unavailable (private mode) - ignore */
      }
    }
  }

  applyTheme(currentTheme(), false);

  if (themeToggle) {
    themeToggle.addEventListener("click", function () {
      applyTheme(currentTheme() === "dark" ? "light" : "dark", true);
    });
  }

  // Follow OS changes until the user has made an explicit choice.
  var media = window.matchMedia("(prefers-color-scheme: dark)");
  var onSystemChange = function (event) {
    var saved = null;
    try {
      saved = localStorage.getItem("theme");
    } catch (e) {
      saved = null;
    }
    if (!saved) applyTheme(event.matches ? "dark" : "light", false);
  };
  if (media.addEventListener) media.addEventListener("change", onSystemChange);

  /* ---------- Mobile menu ---------- */
  var menuToggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("site-nav");

  function setMenu(open) {
    if (!menuToggle || !nav) return;
    nav.classList.toggle("is-open", open);
    menuToggle.setAttribute("aria-expanded", String(open));
    menuToggle.setAttribute("aria-label", open ? "Close menu" : "Open menu");
  }

  if (menuToggle && nav) {
    menuToggle.addEventListener("click", function () {
      setMenu(menuToggle.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("click", function (event) {
      if (event.target.closest("a")) setMenu(false);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") setMenu(false);
    });
  }

  /* ---------- FAQ accordion (one item open at a time) ---------- */
  var questions = Array.prototype.slice.call(document.querySelectorAll(".faq-question"));

  function setItem(button, open) {
    var answer = button.closest(".faq-item").querySelector(".faq-answer");
    button.setAttribute("aria-expanded", String(open));
    if (answer) answer.hidden = !open;
  }

  questions.forEach(function (button, index) {
    var answer = button.closest(".faq-item").querySelector(".faq-answer");
    if (answer) {
      var id = answer.id || "faq-answer-" + (index + 1);
      answer.id = id;
      button.setAttribute("aria-controls", id);
    }

    button.addEventListener("click", function () {
      var willOpen = button.getAttribute("aria-expanded") !== "true";
      questions.forEach(function (other) {
        setItem(other, false);
      });
      setItem(button, willOpen);
    });

    // Arrow keys / Home / End move between questions.
    button.addEventListener("keydown", function (event) {
      var target = null;
      if (event.key === "ArrowDown") target = questions[(index + 1) % questions.length];
      else if (event.key === "ArrowUp") target = questions[(index - 1 + questions.length) % questions.length];
      else if (event.key === "Home") target = questions[0];
      else if (event.key === "End") target = questions[questions.length - 1];
      if (target) {
        event.preventDefault();
        target.focus();
      }
    });
  });

  /* ---------- Sign-up form ---------- */
  var form = document.querySelector(".signup-form");
  var message = document.querySelector(".form-message");

  if (form && message) {
    var input = form.querySelector("input[type=email]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = input.value.trim();
      var valid = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
      input.setAttribute("aria-invalid", String(!valid));
      message.classList.toggle("is-error", !valid);
      message.classList.toggle("is-success", valid);
      if (!valid) {
        message.textContent = "Please enter a valid email address.";
        input.focus();
        return;
      }
      // Replace this with a real request to your newsletter provider.
      message.textContent = "Thanks! We'll be in touch at " + value + ".";
      form.reset();
    });
  }

  /* ---------- Footer year ---------- */
  var year = document.getElementById("year");
  if (year) year.textContent = String(new Date().getFullYear());
})();
