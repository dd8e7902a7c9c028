console.log("console placeholder");
