"""Why a PAR action was refused."""


class ParError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message
