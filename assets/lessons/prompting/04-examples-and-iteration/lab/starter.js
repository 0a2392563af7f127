// The assistant's first attempt. Run the checks, read what fails, and iterate.
function slugify(title) {
  return title.toLowerCase().split(" ").join("-");
}
